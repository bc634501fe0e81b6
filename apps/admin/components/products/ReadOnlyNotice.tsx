/** What a role without catalog:write is told on product pages. */
export const READ_ONLY_LINE = 'You can view products; editing needs a catalog role.';

export function ReadOnlyNotice() {
  return <p className="notice">{READ_ONLY_LINE}</p>;
}
