import type { ReactNode } from 'react';
import { PageHeader } from './PageHeader';

/** A page the signed-in role may not read: its heading and why it is empty (the API would refuse anyway). */
export function NoAccess({ title, what, back }: { title: string; what: string; back?: ReactNode }) {
  return (
    <>
      <PageHeader title={title} back={back} />
      <p className="notice">{`Your role cannot see ${what}.`}</p>
    </>
  );
}
