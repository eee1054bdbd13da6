/**
 * The profile database, simulated: every lookup takes a couple of milliseconds, the way a real
 * round trip to a database would, and builds the same ~1 KB record for the same id every time.
 * Fixture: you do not need to change this file.
 */
import { registerGauge } from '../../kit/lab-api.ts';

export interface Address {
  street: string;
  city: string;
  postcode: string;
  country: string;
}

export interface Preferences {
  language: string;
  timezone: string;
  newsletter: boolean;
  theme: 'light' | 'dark';
}

export interface User {
  id: string;
  name: string;
  email: string;
  phone: string;
  address: Address;
  preferences: Preferences;
  bio: string;
  createdAt: string;
}

/** How long one database round trip takes. */
const LATENCY_MS = 2;

const FIRST_NAMES = ['Ada', 'Grace', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Radia', 'Tim', 'Frances'];
const LAST_NAMES = ['Lovelace', 'Hopper', 'Torvalds', 'Hamilton', 'Thompson', 'Liskov', 'Ritchie', 'Perlman', 'Berners-Lee', 'Allen'];
const CITIES = ['Lisbon', 'Tallinn', 'Montreal', 'Osaka', 'Nairobi', 'Valparaíso', 'Ghent', 'Bergen'];
const LANGUAGES = ['en', 'fr', 'de', 'pt', 'ja', 'et'];
const TIMEZONES = ['Europe/Lisbon', 'Europe/Tallinn', 'America/Toronto', 'Asia/Tokyo', 'Africa/Nairobi'];
const BIO_WORDS = (
  'enjoys long walks through heap snapshots and short ones through the park, keeps a garden, ' +
  'writes small tools, reads about distributed systems, bakes bread on weekends, mentors new ' +
  'engineers, collects old maps, plays the cello badly and chess rather well, volunteers at the ' +
  'local library, and answers support tickets faster than anyone on the team'
).split(' ');

let calls = 0;
registerGauge('dbCalls', 'database calls', () => calls);

/** Fetch one user by id. Any id exists: the record is derived from it, so it never changes. */
export async function getUser(id: string): Promise<User> {
  calls += 1;
  await new Promise((resolve) => setTimeout(resolve, LATENCY_MS));
  return userRecord(id);
}

/** FNV-1a: a small, stable hash so that the same id always yields the same person. */
function hash(text: string, seed = 0): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function pick<T>(list: readonly T[], id: string, seed: number): T {
  return list[hash(id, seed) % list.length]!;
}

/** The record the database holds for `id`, built without a round trip (the checker compares answers with it). */
export function userRecord(id: string): User {
  const first = pick(FIRST_NAMES, id, 1);
  const last = pick(LAST_NAMES, id, 2);
  const city = pick(CITIES, id, 3);
  const h = hash(id, 4);
  const bioWords: string[] = [];
  for (let i = 0; i < 110; i += 1) bioWords.push(BIO_WORDS[(h + i * 7) % BIO_WORDS.length]!);
  return {
    id,
    name: `${first} ${last}`,
    email: `${first}.${last}.${id}@example.com`.toLowerCase(),
    phone: `+351 21 ${String(h % 1000).padStart(3, '0')} ${String((h >>> 10) % 10000).padStart(4, '0')}`,
    address: {
      street: `${(h % 200) + 1} Rua das Flores`,
      city,
      postcode: String(10000 + (h % 89999)),
      country: 'PT',
    },
    preferences: {
      language: pick(LANGUAGES, id, 5),
      timezone: pick(TIMEZONES, id, 6),
      newsletter: h % 2 === 0,
      theme: h % 3 === 0 ? 'dark' : 'light',
    },
    bio: `${first} ${bioWords.join(' ')}.`,
    createdAt: new Date(Date.UTC(2015, 0, 1) + (h % 3000) * 86_400_000).toISOString(),
  };
}
