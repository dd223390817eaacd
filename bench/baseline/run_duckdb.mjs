// Runs classify.sql in DuckDB (all cores) and prints its results and the
// wall time. Usage: node run_duckdb.mjs DATASET_DIR BEFORE AFTER CUTOFF PLACE
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [dir, before, after, cutoff, place] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
const sql = readFileSync(join(here, 'classify.sql'), 'utf8')
  .replaceAll('__DIR__', dir).replaceAll('__BEFORE__', before)
  .replaceAll('__AFTER__', after).replaceAll('__CUTOFF__', cutoff)
  .replaceAll('__PLACE__', place.replaceAll("'", "''"));
const statements = sql.split(/;\s*\n/).map((s) => s.replace(/^\s*--.*$/gm, '').trim())
  .filter((s) => s.length > 0);
const started = process.hrtime.bigint();
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
for (const statement of statements) {
  const reader = await connection.runAndReadAll(statement);
  if (statement.startsWith('SELECT')) {
    for (const row of reader.getRows()) console.log(row.map(String).join(','));
  }
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(`duckdb_seconds,${seconds.toFixed(2)}`);
