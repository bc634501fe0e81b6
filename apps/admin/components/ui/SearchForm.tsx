'use client';

import { type FormEvent, useEffect, useState } from 'react';
import styles from './SearchForm.module.css';

/**
 * A list's search box, applied on submit (not per keystroke: each search is a new URL and
 * request). Follows `applied` when the URL changes under it (Back, "Clear filters").
 */
export function SearchForm({
  applied,
  onSearch,
  placeholder,
}: {
  applied: string;
  onSearch: (q: string) => void;
  placeholder: string;
}) {
  const [search, setSearch] = useState(applied);
  useEffect(() => setSearch(applied), [applied]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch(search);
  };
  return (
    <form className={styles.form} onSubmit={submit}>
      <label className="field">
        <span>Search</span>
        <input
          type="search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder={placeholder}
          maxLength={200}
        />
      </label>
      <button type="submit" className="button primary">
        Search
      </button>
    </form>
  );
}
