// A small SVG bar chart of eddy/Flink throughput ratios per workload, with the 1.0 and target lines.

export interface RatioBar {
  label: string;
  ratio: number;
}

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function ratioChart(bars: readonly RatioBar[], title: string, target: number): string {
  const width = 80 + bars.length * 70;
  const height = 320;
  const top = 40;
  const bottom = 260;
  const max = Math.max(target * 1.2, ...bars.map((b) => b.ratio)) * 1.1;
  const y = (v: number): number => bottom - (v / max) * (bottom - top);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${escape(title)}</text>`,
    `<line x1="50" x2="${width - 10}" y1="${bottom}" y2="${bottom}" stroke="black"/>`,
  ];
  for (const [value, color, text] of [[1, '#888', '1.0 (same as Flink)'], [target, '#2a7', `${target} (target)`]] as const) {
    parts.push(`<line x1="50" x2="${width - 10}" y1="${y(value)}" y2="${y(value)}" stroke="${color}" stroke-dasharray="4 3"/>`);
    parts.push(`<text x="${width - 12}" y="${y(value) - 4}" text-anchor="end" fill="${color}">${text}</text>`);
  }
  bars.forEach((bar, i) => {
    const x = 60 + i * 70;
    const color = bar.ratio >= target ? '#2a7' : bar.ratio >= 1 ? '#d90' : '#c33';
    parts.push(`<rect x="${x}" y="${y(bar.ratio)}" width="46" height="${bottom - y(bar.ratio)}" fill="${color}"/>`);
    parts.push(`<text x="${x + 23}" y="${y(bar.ratio) - 4}" text-anchor="middle">${bar.ratio.toFixed(2)}</text>`);
    parts.push(`<text x="${x + 23}" y="${bottom + 16}" text-anchor="middle">${escape(bar.label)}</text>`);
  });
  parts.push(`<text x="12" y="${(top + bottom) / 2}" transform="rotate(-90 12 ${(top + bottom) / 2})" text-anchor="middle">eddy / Flink, events/s</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}
