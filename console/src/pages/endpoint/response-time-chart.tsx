import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { SeriesPoint } from './endpoint.graphql';

/**
 * Average and p95 response time per bucket (uPlot, on a canvas). The same numbers are in the table below it,
 * for screen readers and for anyone who wants the figures.
 */
export function ResponseTimeChart({ points, from, to }: { points: SeriesPoint[]; from: string; to: string }) {
  const host = useRef<HTMLDivElement>(null);
  const withData = points.filter((p) => p.attempts > 0);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const data: uPlot.AlignedData = [
      points.map((p) => new Date(p.bucketStart).getTime() / 1000),
      points.map((p) => p.avgResponseTimeMs),
      points.map((p) => p.p95ResponseTimeMs),
    ];
    const accent = getComputedStyle(document.documentElement).getPropertyValue('--accent').trim() || '#1d4ed8';
    const plot = new uPlot(
      {
        width: Math.max(320, el.clientWidth),
        height: 240,
        legend: { show: false },
        scales: {
          x: { time: true, range: [new Date(from).getTime() / 1000, new Date(to).getTime() / 1000] },
          y: { range: (_u, _min, max) => [0, Math.max(10, (max ?? 0) * 1.1)] },
        },
        axes: [{}, { label: 'ms' }],
        series: [
          {},
          { label: 'average', stroke: accent, width: 2, points: { show: true, size: 7 }, spanGaps: false },
          { label: 'p95', stroke: '#b45309', width: 2, dash: [6, 4], points: { show: true, size: 7 } },
        ],
      },
      data,
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(320, el.clientWidth), height: 240 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [points, from, to]);
  return (
    <figure>
      <div
        ref={host}
        className="chart"
        role="img"
        aria-label={`Response time per bucket: ${withData.length} bucket(s) with attempts`}
        data-testid="response-time-chart"
        data-points={withData.length}
        data-attempts={withData.reduce((n, p) => n + p.attempts, 0)}
      />
      <figcaption className="muted">
        Solid: average response time. Dashed: p95. Buckets without attempts are gaps.
      </figcaption>
      <details>
        <summary>The figures as a table</summary>
        <table data-testid="series-table">
          <thead>
            <tr>
              <th scope="col">Bucket</th>
              <th scope="col">Attempts</th>
              <th scope="col">Succeeded</th>
              <th scope="col">Failed</th>
              <th scope="col">Average ms</th>
              <th scope="col">p95 ms</th>
            </tr>
          </thead>
          <tbody>
            {withData.map((p) => (
              <tr key={p.bucketStart}>
                <td>{new Date(p.bucketStart).toLocaleString()}</td>
                <td>{p.attempts}</td>
                <td>{p.successCount}</td>
                <td>{p.failureCount}</td>
                <td>{p.avgResponseTimeMs === null ? '—' : Math.round(p.avgResponseTimeMs)}</td>
                <td>{p.p95ResponseTimeMs === null ? '—' : Math.round(p.p95ResponseTimeMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
