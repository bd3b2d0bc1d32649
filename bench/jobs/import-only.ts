// Benchmark script for start-up: imports eddy by its package name and does nothing else.

import 'eddy';
