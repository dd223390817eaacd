// Loads one CSV file into a DuckDB table (read_csv with its type detection,
// all cores) and prints the rows and the process CPU seconds the load took:
// what a mainstream engine spends only reading the file that
// `talentflow validate` parses, cleans, deduplicates and groups.
// Usage: node bench/baseline/load_duckdb.mjs FILE.csv [varchar]
// (`varchar`: every column read as text, so no value is converted). DuckDB
// is the npm package that bench/baseline/run_duckdb.sh installs into
// bench/baseline/node_modules; run that script once first.
import { DuckDBInstance } from '@duckdb/node-api';

const [file, mode] = process.argv.slice(2);
const allVarchar = mode === 'varchar';
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const cpu0 = process.cpuUsage();
const wall0 = process.hrtime.bigint();
await connection.run(
  `CREATE TABLE t AS SELECT * FROM read_csv('${file.replaceAll("'", "''")}', all_varchar = ${allVarchar})`);
const cpu = process.cpuUsage(cpu0);
const wall = Number(process.hrtime.bigint() - wall0) / 1e9;
const rows = (await connection.runAndReadAll('SELECT count(*) FROM t')).getRows()[0][0];
console.log(`rows=${rows} wall_s=${wall.toFixed(3)} cpu_s=${((cpu.user + cpu.system) / 1e6).toFixed(3)}`);
