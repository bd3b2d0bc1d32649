// The dashboard's entry: shows the page the URL's fragment names and switches on each change.
import './style.css';
import { jobView } from './job-view.js';
import { overviewView } from './overview-view.js';
import { currentRoute } from './routes.js';
import type { View } from './view.js';

const app = document.getElementById('app')!;
const header = document.getElementById('job-header')!;
let view: View | null = null;

function show(): void {
  view?.close();
  const route = currentRoute();
  document.title = 'eddy';
  view = route.page === 'job' ? jobView(route.jobId, app, header) : overviewView(app, header, route.page === 'start');
}

window.addEventListener('hashchange', show);
show();
