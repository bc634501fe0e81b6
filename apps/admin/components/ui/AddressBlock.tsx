import styles from './AddressBlock.module.css';
export interface PostalAddress {
  name: string;
  company?: string | null;
  line1: string;
  line2?: string | null;
  city: string;
  region?: string | null;
  postalCode: string;
  country: string;
  phone?: string | null;
}

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
