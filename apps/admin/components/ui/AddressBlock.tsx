import type { PostalAddress } from '@e3d/contracts';
import styles from './AddressBlock.module.css';

/** A postal address as it goes on a parcel. */
export function AddressBlock({ address }: { address: PostalAddress }) {
  const cityLine = [address.postalCode, address.city].filter(Boolean).join(' ');
  return (
    <address className={styles.address}>
      <div>{address.name}</div>
      {address.company && <div>{address.company}</div>}
      <div>{address.line1}</div>
      {address.line2 && <div>{address.line2}</div>}
      <div>{cityLine}</div>
      {address.region && <div>{address.region}</div>}
      <div>{address.country}</div>
      {address.phone && <div className="muted">{address.phone}</div>}
    </address>
  );
}
