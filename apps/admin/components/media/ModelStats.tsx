import { CompareBars } from '@/components/charts/CompareBars';
import { formatBytes, formatNumber } from '@/lib/format';
import styles from './media.module.css';
import type { Media } from './media-api';

type Stats = NonNullable<Media['stats']>;

const ROWS: { key: keyof Omit<Stats, 'sizeMetres' | 'materialVariants'>; label: string }[] = [
  { key: 'triangles', label: 'Triangles' },
  { key: 'vertices', label: 'Vertices' },
  { key: 'meshes', label: 'Meshes' },
  { key: 'materials', label: 'Materials' },
  { key: 'textures', label: 'Textures' },
  { key: 'animations', label: 'Animations' },
];

function change(before: number | undefined, after: number): string {
  if (before === undefined || before === after) return '—';
  if (before === 0) return `+${formatNumber(after)}`;
  const percent = Math.round(((after - before) / before) * 100);
  return `${percent > 0 ? '+' : ''}${percent}%`;
}

const metres = (value: number) => (value >= 10 ? value.toFixed(1) : value.toFixed(2));

/** What optimization did to the model: counts before → after, file size, preset and time. */
export function ModelStats({ media }: { media: Media }) {
  const after = media.stats;
  const before = media.statsBefore;
  if (!after) return <p className="muted">No statistics: the model has not been processed.</p>;
  const size = after.sizeMetres;
  const saved =
    media.originalByteSize && media.byteSize !== null && media.originalByteSize > 0
      ? 1 - media.byteSize / media.originalByteSize
      : null;

  return (
    <div className={styles.statsLayout}>
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">Model statistics before and after optimization</caption>
          <thead>
            <tr>
              <th scope="col">Statistic</th>
              {before && (
                <th scope="col" className="num">
                  Original
                </th>
              )}
              <th scope="col" className="num">
                {before ? 'Optimized' : 'Value'}
              </th>
              {before && (
                <th scope="col" className="num">
                  Change
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {ROWS.map(({ key, label }) => (
              <tr key={key}>
                <th scope="row">{label}</th>
                {before && <td className="num">{formatNumber(before[key])}</td>}
                <td className="num">{formatNumber(after[key])}</td>
                {before && <td className="num">{change(before[key], after[key])}</td>}
              </tr>
            ))}
            <tr>
              <th scope="row">Dimensions (W × H × D)</th>
              <td className="num" colSpan={before ? 3 : 1}>
                {size.length === 3 ? `${size.map(metres).join(' × ')} m` : '—'}
              </td>
            </tr>
            {after.materialVariants.length > 0 && (
              <tr>
                <th scope="row">Material variants</th>
                <td colSpan={before ? 3 : 1}>{after.materialVariants.join(', ')}</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>

      <div className="stack">
        {media.originalByteSize !== null && media.byteSize !== null && (
          <>
            <CompareBars
              title="File size"
              format={formatBytes}
              bars={[
                { label: 'Original', value: media.originalByteSize, tone: 'before' },
                { label: 'Optimized', value: media.byteSize, tone: 'after' },
              ]}
            />
            <p className={styles.saved}>
              {saved !== null && saved > 0.001
                ? `${Math.round(saved * 1000) / 10}% smaller (${formatBytes(media.originalByteSize - media.byteSize)} saved)`
                : 'No smaller than the original: the original is served.'}
            </p>
          </>
        )}
        <dl className={styles.facts}>
          {media.preset && (
            <div>
              <dt>Preset</dt>
              <dd>{media.preset}</dd>
            </div>
          )}
          {media.processingMs !== null && (
            <div>
              <dt>Processing time</dt>
              <dd>
                {media.processingMs < 1000
                  ? `${media.processingMs} ms`
                  : `${(media.processingMs / 1000).toFixed(1)} s`}
              </dd>
            </div>
          )}
        </dl>
      </div>
    </div>
  );
}
