import styles from './media.module.css';
import type { Media } from './media-api';

type Message = NonNullable<Media['validator']>['messages'][number];

/** Plain words for validator codes staff often meet; the rest keep the validator's own sentence. */
const PLAIN: Record<string, string> = {
  UNUSED_OBJECT: 'Part of the file is never used. Harmless: optimization drops it.',
  NODE_EMPTY: 'The scene has an empty node (no mesh, camera or children). Harmless.',
  IMAGE_NPOT_DIMENSIONS:
    'A texture’s width or height is not a power of two (e.g. 1024). Some devices show it less sharply.',
  MESH_PRIMITIVE_GENERATED_TANGENT_SPACE: 'Tangents are computed when the model loads. Harmless.',
  MESH_PRIMITIVE_UNUSED_TEXCOORD: 'A mesh carries texture coordinates no material uses. Harmless.',
  ACCESSOR_NON_UNIT: 'Some normals are not of unit length; lighting may look slightly off.',
  ACCESSOR_INVALID_FLOAT: 'The geometry contains invalid numbers (NaN or infinity).',
  ACCESSOR_INDEX_OOB: 'A triangle refers to a vertex that does not exist: the geometry is broken.',
  ACCESSOR_MIN_MISMATCH: 'The bounding values written in the file do not match the geometry.',
  ACCESSOR_MAX_MISMATCH: 'The bounding values written in the file do not match the geometry.',
  BUFFER_VIEW_TARGET_MISSING: 'A data block does not say whether it holds vertices or indices. Harmless.',
  MESH_PRIMITIVE_ACCESSOR_WITHOUT_BYTESTRIDE: 'Vertex data is laid out in a way some viewers reject.',
  IMAGE_UNRECOGNIZED_FORMAT: 'A texture is in a format the viewer cannot read.',
  UNSUPPORTED_EXTENSION:
    'The model uses a glTF extension the validator does not know; it may not show everywhere.',
  NODE_SKINNED_MESH_NON_ROOT: 'A skinned mesh is not at the root of the scene; it may be placed oddly.',
  MATERIALS_VALUES_WITHOUT_TEXTURES: 'A material sets texture options without a texture. Harmless.',
};

const GROUPS: { title: string; severities: string[]; tone: 'danger' | 'warning' | 'info' }[] = [
  { title: 'Errors', severities: ['error'], tone: 'danger' },
  { title: 'Warnings', severities: ['warning'], tone: 'warning' },
  { title: 'Infos', severities: ['info', 'hint'], tone: 'info' },
];

/** Khronos glTF validator messages in plain words, grouped by severity, codes beside them. */
export function ValidatorReport({ validator }: { validator: Media['validator'] }) {
  if (!validator) return <p className="muted">No validation report for this model.</p>;
  const { messages } = validator;
  const infos = messages.filter((m) => m.severity === 'info' || m.severity === 'hint').length;
  const summary =
    validator.errors > 0
      ? `The glTF validator found ${validator.errors} ${validator.errors === 1 ? 'error' : 'errors'}.`
      : validator.warnings > 0
        ? `The model is valid glTF, with ${validator.warnings} ${validator.warnings === 1 ? 'warning' : 'warnings'}.`
        : 'The model is valid glTF: no errors or warnings.';

  return (
    <div className="stack">
      <p>
        {summary}
        {infos > 0 && <span className="muted"> {infos} informational notes.</span>}
        {messages.length >= 50 && <span className="muted"> Only the first 50 messages are kept.</span>}
      </p>
      {GROUPS.map((group) => {
        const list = messages.filter((m) => group.severities.includes(m.severity));
        if (list.length === 0) return null;
        return (
          <section key={group.title} aria-label={group.title}>
            <h4 className={styles.groupTitle}>
              <span className={`badge ${group.tone}`}>{list.length}</span> {group.title}
            </h4>
            <ul className={styles.messages}>
              {list.map((message, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a fixed report; two messages can share code and pointer
                <ValidatorMessage key={`${message.code}-${message.pointer ?? ''}-${i}`} message={message} />
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

function ValidatorMessage({ message }: { message: Message }) {
  const plain = PLAIN[message.code];
  return (
    <li>
      <p>{plain ?? message.message}</p>
      <p className={styles.messageMeta}>
        <span className="mono">{message.code}</span>
        {plain && <span> · {message.message}</span>}
        {message.pointer && <span className="mono"> · {message.pointer}</span>}
      </p>
    </li>
  );
}
