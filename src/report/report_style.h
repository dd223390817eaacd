// The report page's style sheet, kept apart from the rendering code. Plain
// CSS inlined into the page: a system font stack (Noto Sans CJK TC and other
// traditional-Chinese fonts for Chinese), grey-scale friendly tables, and
// print rules (A4, page breaks between sections, no navigation).
#pragma once

namespace talentflow::report {

inline constexpr const char* kReportCss = R"css(
:root { --ink: #111; --muted: #555; --rule: #bbb; --shade: #f2f2f2; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  "Noto Sans", "Noto Sans CJK TC", "Noto Sans TC", "Source Han Sans TC", "PingFang TC",
  "Microsoft JhengHei", sans-serif; color: var(--ink); background: #fff; line-height: 1.45; }
:lang(zh-Hant) { font-family: "Noto Sans CJK TC", "Noto Sans TC", "Source Han Sans TC",
  "PingFang TC", "Microsoft JhengHei", system-ui, sans-serif; }
body { margin: 0 auto; max-width: 1080px; padding: 24px 28px 48px; font-size: 14px; }
h1 { font-size: 26px; margin: 0 0 6px; }
h2 { font-size: 21px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); }
h3 { font-size: 16px; margin: 26px 0 6px; }
.zh { color: inherit; }
h1 .zh, h2 .zh, h3 .zh { font-weight: 600; }
p.meta, .note, figcaption { color: var(--muted); font-size: 12.5px; }
nav ol { columns: 2; font-size: 13px; padding-left: 20px; }
nav a { color: var(--ink); }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0; }
.card { border: 1px solid var(--ink); padding: 8px 14px; min-width: 150px; }
.card .label { font-size: 12px; color: var(--muted); }
.card .value { font-size: 24px; font-weight: 700; font-variant-numeric: tabular-nums; }
.card .published { font-size: 12px; color: var(--muted); }
table.data { border-collapse: collapse; margin: 8px 0 4px; font-size: 12.5px; width: auto; max-width: 100%; }
table.data th, table.data td { border: 1px solid var(--rule); padding: 3px 7px; vertical-align: top; }
table.data th { background: var(--shade); text-align: left; font-weight: 600; }
table.data td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.data td.sup { font-style: italic; color: var(--muted); text-align: center;
  background: repeating-linear-gradient(45deg, #fff, #fff 4px, #eee 4px, #eee 8px); }
table.data td.missing { color: var(--muted); text-align: center; }
table.data td.published, table.data th.published { border-left: 2px solid var(--ink); color: #333; }
.wide { overflow-x: auto; }
figure { margin: 10px 0 18px; }
svg.chart { max-width: 100%; height: auto; display: block; }
svg.chart text { fill: #111; }
.marks { font-weight: 700; }
.legend-note { font-size: 12px; color: var(--muted); }
code { font-size: 12px; word-break: break-all; }
section.absent p { font-style: italic; color: var(--muted); }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav { display: none; }
  h2 { break-before: page; }
  #headline h2 { break-before: avoid; }
  figure, table.data tr, .card { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  .wide { overflow: visible; }
  table.data { font-size: 9pt; }
}
)css";

}  // namespace talentflow::report
