'use client';

import { CompareBars } from '@/components/charts/CompareBars';
import { useStaff } from '@/components/session/StaffSession';
import { StatusBadge } from '@/components/ui/StatusBadge';
import { formatBytes } from '@/lib/format';
import { plainReason } from './failure-messages';
import { ModelInspector } from './ModelInspector';
import styles from './media.module.css';
import { type Media, thumbnailOf } from './media-api';

/** A media on its own page: the model inspector, or an image with its renditions. */
export function MediaDetails({
  media,
  productTitle,
  variants,
}: {
  media: Media;
  productTitle: string;
  variants: { id: string; title: string }[];
}) {
  const { can } = useStaff();
  if (media.kind === 'model') {
    return (
      <ModelInspector
        initial={media}
        productTitle={productTitle}
        variants={variants}
        canEdit={can('media:write')}
      />
    );
  }
  const failure = media.status === 'failed' ? plainReason(media.failure?.code, media.failure?.message) : null;
  const src = thumbnailOf(media, 960);
  return (
    <div className="stack">
      <p>
        <StatusBadge status={media.status} />
      </p>
      {failure && (
        <p className="notice danger" role="alert">
          Failed: {failure.reason}
        </p>
      )}
      {src && (
        <div className="card">
          {/* biome-ignore lint/performance/noImgElement: renditions are already sized */}
          <img src={src} alt={media.alt} className={styles.largeImage} />
        </div>
      )}
      {media.originalByteSize !== null && media.byteSize !== null && (
        <div className="card">
          <CompareBars
            title="File size"
            format={formatBytes}
            bars={[
              { label: 'Original', value: media.originalByteSize, tone: 'before' },
              { label: 'Served (largest WebP)', value: media.byteSize, tone: 'after' },
            ]}
          />
        </div>
      )}
      {media.renditions.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Renditions</caption>
            <thead>
              <tr>
                <th scope="col">Format</th>
                <th scope="col" className="num">
                  Size (px)
                </th>
                <th scope="col" className="num">
                  File size
                </th>
              </tr>
            </thead>
            <tbody>
              {media.renditions.map((r) => (
                <tr key={r.url}>
                  <td>
                    <a href={r.url} target="_blank" rel="noreferrer">
                      {r.format.toUpperCase()}
                    </a>
                  </td>
                  <td className="num">
                    {r.width} × {r.height}
                  </td>
                  <td className="num">{formatBytes(r.byteSize)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
