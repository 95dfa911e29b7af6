/** One bar of a chart: its label (a day) and value. */
export interface Bar {
  label: string;
  value: number;
}

/**
 * A bar chart drawn as SVG: no chart library in the panel's bundle. `title` names it for
 * screen readers, which read the table beside it for the figures.
 */
export function BarChart({ bars, title, format }: { bars: Bar[]; title: string; format: (v: number) => string }) {
  const width = 640;
  const height = 200;
  const top = Math.max(1, ...bars.map((b) => b.value));
  const step = bars.length > 0 ? width / bars.length : width;
  return (
    <figure className="bar-chart">
      <svg viewBox={`0 0 ${width} ${height + 24}`} role="img" aria-label={title}>
        <title>{title}</title>
        {bars.map((b, i) => {
          const h = Math.round((b.value / top) * height);
          return (
            <g key={b.label}>
              <rect x={i * step + 2} y={height - h} width={Math.max(1, step - 4)} height={h}>
                <title>{`${b.label}: ${format(b.value)}`}</title>
              </rect>
              {(bars.length <= 10 || i % Math.ceil(bars.length / 10) === 0) && (
                <text x={i * step + step / 2} y={height + 16} textAnchor="middle">
                  {b.label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>{title}</figcaption>
    </figure>
  );
}
