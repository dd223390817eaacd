-- The core classification of spec/flows.md sections 3-4 in DuckDB SQL: the
-- query an analyst would otherwise write. Used only as a speed baseline
-- (bench/baseline/run_duckdb.sh); talentflow's own results are tested
-- against planted truth, not against this query.
-- Parameters are substituted by the runner: __DIR__, __BEFORE__, __AFTER__,
-- __CUTOFF__ (YYYY-MM), __PLACE__ (a country value, case-insensitive).
CREATE OR REPLACE TABLE users AS
  SELECT DISTINCT ON (user_id) * FROM read_csv('__DIR__/individual_user.csv', header = true,
                         all_varchar = true, ignore_errors = true)
  WHERE user_id IS NOT NULL;
CREATE OR REPLACE TABLE raw AS
  SELECT DISTINCT ON (position_id) position_id, title_raw AS raw_title
  FROM read_csv('__DIR__/individual_positions_raw.csv', header = true, all_varchar = true,
                ignore_errors = true);
CREATE OR REPLACE TABLE pos AS
  SELECT p.user_id, p.position_id, trim(p.country) AS country,
         coalesce(nullif(p.title_raw, ''), raw.raw_title, '') AS title_raw,
         p.rcid, p.ultimate_parent_rcid,
         try_strptime(left(p.startdate, 7), '%Y-%m') AS s,
         coalesce(try_strptime(left(p.enddate, 7), '%Y-%m'),
                  strptime('__CUTOFF__', '%Y-%m')) AS e
  FROM read_csv('__DIR__/individual_positions.csv', header = true, all_varchar = true,
                ignore_errors = true) p
  LEFT JOIN raw USING (position_id)
  WHERE p.user_id IS NOT NULL AND p.position_id IS NOT NULL AND p.startdate IS NOT NULL;
CREATE OR REPLACE TABLE snap AS
  WITH months(which, m) AS (VALUES ('before', strptime('__BEFORE__', '%Y-%m')),
                                   ('after', strptime('__AFTER__', '%Y-%m'))),
  active AS (
    SELECT months.which, pos.*,
           regexp_matches(lower(title_raw),
             '(non[- ]?executive|independent director|非執行|非执行|獨立董事|独立董事)')
           OR (regexp_matches(lower(title_raw),
             '\b(board|trustee|intern|internship|part[- ]time|volunteer)\b|advisor to|實習|实习|兼職|兼职|董事會成員|董事会成员|義工|义工')
               AND NOT regexp_matches(lower(title_raw),
             '\b(ceo|chief executive|managing director|executive director|general manager)\b|執行董事|执行董事|行政總裁|總經理|总经理'))
             AS side
    FROM pos JOIN months ON pos.s <= months.m AND months.m <= pos.e),
  ranked AS (
    SELECT *, row_number() OVER (PARTITION BY user_id, which
                                 ORDER BY side, s DESC, position_id) AS rn
    FROM active)
  SELECT r.user_id, r.which, coalesce(nullif(trim(r.country), ''), u.user_country) AS country,
         coalesce(nullif(r.ultimate_parent_rcid, ''), r.rcid) AS firm
  FROM ranked r LEFT JOIN users u USING (user_id) WHERE rn = 1;
CREATE OR REPLACE TABLE classes AS
  SELECT u.user_id,
    CASE
      WHEN b.country IS NULL AND a.country IS NULL THEN 'unknown_both'
      WHEN b.country IS NULL THEN 'unknown_before'
      WHEN a.country IS NULL THEN 'unknown_after'
      WHEN lower(b.country) = lower('__PLACE__') AND lower(a.country) = lower('__PLACE__') THEN 'stayer'
      WHEN lower(a.country) = lower('__PLACE__') THEN 'joiner'
      WHEN lower(b.country) = lower('__PLACE__') THEN 'leaver'
      ELSE 'outside' END AS class,
    CASE WHEN b.firm IS NULL OR a.firm IS NULL THEN 'unknown'
         WHEN b.firm = a.firm THEN 'same' ELSE 'different' END AS company,
    b.country AS origin, a.country AS destination
  FROM users u
  LEFT JOIN snap b ON b.user_id = u.user_id AND b.which = 'before'
  LEFT JOIN snap a ON a.user_id = u.user_id AND a.which = 'after';
SELECT class, count(*) AS n FROM classes GROUP BY class ORDER BY class;
SELECT class, company, count(*) AS n FROM classes
  WHERE class IN ('stayer', 'joiner', 'leaver') GROUP BY ALL ORDER BY ALL;
