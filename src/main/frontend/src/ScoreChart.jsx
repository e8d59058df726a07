// The score over the last 24 h as a hand-drawn SVG line: one point per step, broken where the
// window held no signals (status UNKNOWN), with the HEALTHY and WARN thresholds marked.
const WIDTH = 720;
const HEIGHT = 180;
const PAD = { left: 36, right: 8, top: 8, bottom: 22 };

const time = at => new Date(at).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

export function ScoreChart({ points }) {
  const known = points.filter(p => p.status !== 'UNKNOWN');
  if (points.length === 0) return null;
  const start = Date.parse(points[0].at);
  const end = Date.parse(points[points.length - 1].at);
  const x = at => PAD.left + (end === start ? 0 : ((Date.parse(at) - start) / (end - start)) * (WIDTH - PAD.left - PAD.right));
  const y = score => PAD.top + (1 - score) * (HEIGHT - PAD.top - PAD.bottom);
  const runs = [];
  let run = [];
  for (const p of points) {
    if (p.status === 'UNKNOWN') {
      if (run.length) runs.push(run);
      run = [];
    } else {
      run.push(`${x(p.at).toFixed(1)},${y(p.score).toFixed(1)}`);
    }
  }
  if (run.length) runs.push(run);
  const last = known[known.length - 1];
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" data-testid="score-chart" data-points={known.length}
           aria-label={`Score over the last 24 hours: ${known.length} of ${points.length} points with signals`
             + (last ? `, latest ${last.score.toFixed(2)} at ${time(last.at)}` : '')}>
        {[0, 0.5, 0.75, 1].map(v => (
          <g key={v}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(v)} y2={y(v)} className={`grid grid-${String(v).replace('.', '')}`} />
            <text x={PAD.left - 4} y={y(v) + 4} textAnchor="end">{v}</text>
          </g>
        ))}
        {runs.map((r, i) => r.length === 1
          ? <circle key={i} cx={r[0].split(',')[0]} cy={r[0].split(',')[1]} r="2.5" className="line-dot" />
          : <polyline key={i} points={r.join(' ')} className="line" />)}
        <text x={PAD.left} y={HEIGHT - 6}>{time(points[0].at)}</text>
        <text x={WIDTH - PAD.right} y={HEIGHT - 6} textAnchor="end">{time(points[points.length - 1].at)}</text>
      </svg>
      <figcaption>Score of the 24 h window ending at each point; gaps had no signals. Lines at 0.75 (HEALTHY) and 0.5 (WARN).</figcaption>
    </figure>
  );
}
