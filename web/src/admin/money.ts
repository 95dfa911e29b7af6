/** Prices are typed in the currency's main unit (12.50) and stored in minor units (1250). */
function digits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Minor units of a typed amount, or null when it is not a non-negative amount. */
export function toMinor(text: string, currency: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+([.,]\d+)?$/.test(trimmed)) return null;
  const value = Number(trimmed.replace(',', '.'));
  return Math.round(value * 10 ** digits(currency));
}

/** The typed form of an amount in minor units, such as "12.50". */
export function toMajorText(minor: number, currency: string): string {
  const d = digits(currency);
  return (minor / 10 ** d).toFixed(d);
}

/** Whether the code is a currency this browser knows (ISO 4217). */
export function isCurrency(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  try {
    new Intl.NumberFormat('en', { style: 'currency', currency: code });
    return true;
  } catch {
    return false;
  }
}
