import { describe, expect, it } from 'vitest';
import { sql, toQuery } from '../src/index.ts';

describe('sql templates', () => {
  it('bind interpolations as parameters, an array as a list and sql.param(array) as one parameter', () => {
    const ids = ['a', 'b'];
    expect(toQuery(sql`SELECT 1 WHERE x = ${1} AND y IN ${ids}`)).toEqual({
      text: 'SELECT 1 WHERE x = $1 AND y IN ($2, $3)',
      params: [1, 'a', 'b'],
    });
    expect(toQuery(sql`SELECT 1 WHERE y = ANY(${sql.param(ids)}::text[])`)).toEqual({
      text: 'SELECT 1 WHERE y = ANY($1::text[])',
      params: [['a', 'b']],
    });
  });
});
