import { Field } from '@/components/ui/Field';
import { assignableRoles, type Role, roleSummary } from './roles';

/** The role picker: only roles the signed-in member may hand out, with what the chosen one may do. */
export function RoleField({
  actorRole,
  value,
  onChange,
  error,
}: {
  actorRole: string;
  value: Role;
  onChange: (role: Role) => void;
  error?: string;
}) {
  return (
    <Field label="Role" hint={roleSummary(value)} error={error}>
      <select value={value} onChange={(e) => onChange(e.target.value as Role)}>
        {assignableRoles(actorRole).map((r) => (
          <option key={r.value} value={r.value}>
            {r.label}
          </option>
        ))}
      </select>
    </Field>
  );
}
