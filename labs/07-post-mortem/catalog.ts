/**
 * The product catalogue, simulated: 200 products with a name, a price in cents and a description.
 * `loadProduct` stands for a database query.
 * Fixture: you do not need to change this file.
 */

/** How many products the shop sells. */
export const PRODUCT_COUNT = 200;

export interface Product {
  id: string;
  name: string;
  /** Price in cents. */
  price: number;
  description: string;
}

const NOUNS = ['mug', 'teapot', 'notebook', 'lamp', 'scarf', 'candle', 'bowl', 'pen', 'tray', 'vase'];
const ADJECTIVES = ['blue', 'small', 'oak', 'striped', 'linen', 'copper', 'green', 'glazed', 'paper', 'felt'];

/** The id of the `index`-th product: 'p000' … 'p199'. */
export function productIdAt(index: number): string {
  return `p${String(index % PRODUCT_COUNT).padStart(3, '0')}`;
}

/** What the database holds for a product id; undefined if there is no such product. */
export function productRecord(id: string): Product | undefined {
  const match = /^p(\d{3})$/.exec(id);
  const index = match ? Number(match[1]) : Number.NaN;
  if (!(index >= 0 && index < PRODUCT_COUNT)) return undefined;
  const name = `${ADJECTIVES[index % 10]} ${NOUNS[Math.floor(index / 10) % 10]}`;
  return { id, name, price: 450 + ((index * 37) % 40) * 25, description: `A ${name}, made in a small workshop. `.repeat(4).trim() };
}

/** Query the catalogue (a database round trip in a real shop). */
export async function loadProduct(id: string): Promise<Product | undefined> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  return productRecord(id);
}
