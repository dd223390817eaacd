#!/usr/bin/env node
// Opens a report in headless Chromium, offline, through the Chrome DevTools
// Protocol over --remote-debugging-pipe (no npm packages, no open port), and
// checks what a reader would: the page loads with no console error and no
// request besides the file itself, every section is there, the Chinese font
// is available, printing works, and a full-page screenshot is not blank.
//
// Usage: node browser_check.js CHROMIUM REPORT_HTML SCREENSHOT_PNG [SECTION_ID...]
// Prints one JSON line with what it found; exit 0 when every check passed.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');

const [chromium, htmlPath, pngPath, ...sections] = process.argv.slice(2);
if (!chromium || !htmlPath || !pngPath) {
  console.error('usage: browser_check.js CHROMIUM REPORT_HTML SCREENSHOT_PNG [SECTION_ID...]');
  process.exit(2);
}
const pageUrl = 'file://' + path.resolve(htmlPath);
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-browser-'));
const browser = spawn(chromium, [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--hide-scrollbars', '--mute-audio',
  '--remote-debugging-pipe', '--user-data-dir=' + profile, 'about:blank',
], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
let stderr = '';
browser.stderr.on('data', (d) => { stderr += d; });

const toBrowser = browser.stdio[3];
const fromBrowser = browser.stdio[4];
let nextId = 1;
const pending = new Map();
const listeners = [];
let buffer = Buffer.alloc(0);
fromBrowser.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  let end;
  while ((end = buffer.indexOf(0)) >= 0) {
    const message = JSON.parse(buffer.subarray(0, end).toString('utf8'));
    buffer = buffer.subarray(end + 1);
    if (message.id && pending.has(message.id)) {
      const { resolve, reject } = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) reject(new Error(JSON.stringify(message.error)));
      else resolve(message.result);
    } else if (message.method) {
      for (const listener of listeners) listener(message);
    }
  }
});
function send(method, params = {}, sessionId) {
  const id = nextId++;
  const message = { id, method, params };
  if (sessionId) message.sessionId = sessionId;
  toBrowser.write(JSON.stringify(message) + '\0');
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}

// Minimal PNG decoder (8-bit RGB/RGBA, non-interlaced, as Chromium writes).
function decodePng(data) {
  let offset = 8;
  let width = 0, height = 0, colorType = 0;
  const idat = [];
  while (offset < data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('ascii', offset + 4, offset + 8);
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0); height = body.readUInt32BE(4);
      if (body[8] !== 8 || body[12] !== 0) throw new Error('unsupported PNG');
      colorType = body[9];
    } else if (type === 'IDAT') idat.push(body);
    offset += 12 + length;
  }
  const bpp = colorType === 6 ? 4 : colorType === 2 ? 3 : colorType === 0 ? 1 : 0;
  if (!bpp) throw new Error('unsupported PNG colour type ' + colorType);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? pixels[y * stride + x - bpp] : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const c = x >= bpp && y > 0 ? pixels[(y - 1) * stride + x - bpp] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      pixels[y * stride + x] = v & 0xff;
    }
  }
  return { width, height, bpp, pixels };
}

async function main() {
  const result = { console_errors: [], exceptions: [], requests: [], sections: {}, ok: false };
  const timer = setTimeout(() => { result.error = 'timed out'; finish(result, 1); }, 90000);
  const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  let loaded;
  const loadedPromise = new Promise((resolve) => { loaded = resolve; });
  listeners.push((m) => {
    if (m.sessionId !== sessionId) return;
    const p = m.params || {};
    if (m.method === 'Runtime.consoleAPICalled' && (p.type === 'error' || p.type === 'assert')) {
      result.console_errors.push((p.args || []).map((a) => a.value || a.description).join(' '));
    } else if (m.method === 'Runtime.exceptionThrown') {
      result.exceptions.push(p.exceptionDetails && p.exceptionDetails.text);
    } else if (m.method === 'Log.entryAdded' && p.entry && p.entry.level === 'error') {
      result.console_errors.push(p.entry.text);
    } else if (m.method === 'Network.requestWillBeSent') {
      if (p.request.url !== pageUrl) result.requests.push(p.request.url);
    } else if (m.method === 'Page.loadEventFired') {
      loaded();
    }
  });
  for (const domain of ['Runtime', 'Log', 'Network', 'Page']) await send(domain + '.enable', {}, sessionId);
  await send('Emulation.setDeviceMetricsOverride',
             { width: 1100, height: 900, deviceScaleFactor: 1, mobile: false }, sessionId);
  await send('Page.navigate', { url: pageUrl }, sessionId);
  await loadedPromise;
  await new Promise((r) => setTimeout(r, 300));  // let late console messages arrive
  const probe = await send('Runtime.evaluate', {
    returnByValue: true,
    expression: `JSON.stringify({
      title: document.title,
      sections: ${JSON.stringify(sections)}.map((id) => {
        const el = document.getElementById(id);
        return [id, !!el && el.getBoundingClientRect().height > 0];
      }),
      charts: document.querySelectorAll('svg.chart').length,
      tables: document.querySelectorAll('table.data').length,
      cjk_font: document.fonts.check('16px "Noto Sans CJK TC"', '香港'),
      scripts: document.scripts.length,
    })`,
  }, sessionId);
  const page = JSON.parse(probe.result.value);
  result.title = page.title;
  result.charts = page.charts;
  result.tables = page.tables;
  result.cjk_font = page.cjk_font;
  result.scripts = page.scripts;
  for (const [id, present] of page.sections) result.sections[id] = present;

  const metrics = await send('Page.getLayoutMetrics', {}, sessionId);
  const size = metrics.cssContentSize || metrics.contentSize;
  const height = Math.min(Math.ceil(size.height), 30000);
  const shot = await send('Page.captureScreenshot', {
    format: 'png', captureBeyondViewport: true,
    clip: { x: 0, y: 0, width: 1100, height, scale: 1 },
  }, sessionId);
  const png = Buffer.from(shot.data, 'base64');
  fs.writeFileSync(pngPath, png);
  const image = decodePng(png);
  let dark = 0, nonWhite = 0;
  const levels = new Set();
  const count = image.width * image.height;
  for (let i = 0; i < count; i++) {
    const o = i * image.bpp;
    const grey = image.bpp >= 3
      ? (image.pixels[o] * 299 + image.pixels[o + 1] * 587 + image.pixels[o + 2] * 114) / 1000
      : image.pixels[o];
    if (grey < 250) nonWhite++;
    if (grey < 100) dark++;
    levels.add(Math.round(grey / 16));
  }
  result.screenshot = { width: image.width, height: image.height, non_white: nonWhite / count,
                        dark: dark / count, grey_levels: levels.size };

  const pdf = await send('Page.printToPDF', { printBackground: true }, sessionId);
  result.pdf_bytes = Buffer.from(pdf.data, 'base64').length;
  result.pdf_ok = Buffer.from(pdf.data, 'base64').subarray(0, 5).toString() === '%PDF-';

  const problems = [];
  if (result.console_errors.length) problems.push('console errors');
  if (result.exceptions.length) problems.push('exceptions');
  if (result.requests.length) problems.push('network requests');
  for (const id of sections) if (!result.sections[id]) problems.push('missing section ' + id);
  if (result.screenshot.non_white < 0.02 || result.screenshot.dark < 0.002 ||
      result.screenshot.grey_levels < 4) problems.push('blank screenshot');
  if (!result.pdf_ok) problems.push('printing failed');
  if (!result.cjk_font) problems.push('no CJK font (fonts-noto-cjk)');
  result.problems = problems;
  result.ok = problems.length === 0;
  clearTimeout(timer);
  finish(result, result.ok ? 0 : 1);
}

let finished = false;
function finish(result, code) {
  if (finished) return;
  finished = true;
  console.log(JSON.stringify(result));
  try { toBrowser.write(JSON.stringify({ id: nextId++, method: 'Browser.close' }) + '\0'); } catch (e) { /* gone */ }
  setTimeout(() => {
    browser.kill('SIGKILL');
    fs.rmSync(profile, { recursive: true, force: true });
    process.exit(code);
  }, 500);
}

main().catch((error) => {
  finish({ ok: false, error: String(error && error.stack || error), stderr: stderr.slice(-2000) }, 1);
});
