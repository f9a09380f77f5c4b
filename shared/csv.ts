/**
 * Characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection): `= + - @`, tab
 * and carriage return, and the full-width forms of the four, which some spreadsheets accept too.
 */
const formulaStart = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * A cell as it is safe to open in a spreadsheet: one that would start a formula gets a leading `'`,
 * which spreadsheets read as "this is text". Every CSV export passes every cell through this.
 */
export function spreadsheetSafe(cell: string): string {
  return formulaStart.test(cell) ? `'${cell}` : cell;
}
