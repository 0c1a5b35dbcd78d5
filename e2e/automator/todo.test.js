// WeChat's miniprogram-automator, unchanged, against the todo example served by
// `shell run examples/todo --auto-port PORT` (docs/automator.md). e2e/automator_test.go
// starts the shell and runs this with WS_ENDPOINT set; by hand:
//
//   shell run examples/todo --auto-port 9420 &
//   WS_ENDPOINT=ws://127.0.0.1:9420 node todo.test.js
//
// The tests run in order and share the app: each starts where the one before left it.
'use strict';

const { test, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const automator = require('miniprogram-automator');

const wsEndpoint = process.env.WS_ENDPOINT;
if (!wsEndpoint) {
  console.error('WS_ENDPOINT is not set (ws://127.0.0.1:PORT of `shell run DIR --auto-port PORT`)');
  process.exit(2);
}

let mp;
let page;

// until polls check (an async function) until it returns a truthy value: what the
// shell does with a tap reaches the page's data a moment later. It fails after 10 s
// with the last value it saw.
async function until(what, check) {
  const deadline = Date.now() + 10000;
  let last;
  for (;;) {
    last = await check();
    if (last) return last;
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + what + ' (last: ' + JSON.stringify(last) + ')');
    await new Promise((r) => setTimeout(r, 50));
  }
}

after(async () => {
  if (mp) mp.disconnect();
});

test('connects by wsEndpoint and passes the version check', async () => {
  mp = await automator.connect({ wsEndpoint });
  page = await mp.currentPage();
  assert.equal(page.path, 'pages/index/index');
  const stack = await mp.pageStack();
  assert.equal(stack.length, 1);
  assert.equal(stack[0].path, 'pages/index/index');
});

test('reads the page data', async () => {
  const data = await page.data();
  assert.equal(data.draft, '');
  assert.equal(data.filter, 'all');
  assert.deepEqual(data.visible, []);
  assert.equal(await page.data('filters[1].label'), 'Active');
});

test('types into the input and taps Add', async () => {
  const input = await page.$('#new-todo');
  assert.ok(input, '#new-todo is found');
  assert.equal(input.tagName, 'input');
  assert.equal(await input.attribute('placeholder'), 'What needs doing?');
  await input.input('Buy milk');
  await until('the draft', async () => (await page.data('draft')) === 'Buy milk');
  const add = await page.$('#add');
  assert.equal(add.tagName, 'button');
  assert.equal(await add.text(), 'Add');
  await add.tap();
  const visible = await until('the new todo', async () => {
    const v = await page.data('visible');
    return v.length === 1 && v;
  });
  assert.equal(visible[0].title, 'Buy milk');
  assert.equal(visible[0].done, false);
  assert.equal(await page.data('draft'), '');
});

test('finds the list in the page, inside the component too', async () => {
  const items = await page.$$('todo-item');
  assert.equal(items.length, 1);
  const title = await items[0].$('.title');
  assert.ok(title, '.title inside todo-item');
  assert.equal(await title.text(), 'Buy milk');
  // A custom component: its own data.
  assert.equal(await items[0].data('item.title'), 'Buy milk');
  const count = await page.$('#count');
  assert.equal(await count.text(), '1 item left');
  assert.match(await count.wxml(), /1 item left/);
  assert.ok((await page.$$('.filter')).length === 3);
  assert.equal(await page.$('#nothing-like-this'), null);
  // Template tag names, also those HTML has too (button), in CSS and in XPath.
  const buttons = await page.$$('button');
  assert.deepEqual(await Promise.all(buttons.map((b) => b.text())), ['Add', 'Copy list', 'Statistics']);
  assert.equal((await page.$$('.footer > button')).length, 2);
  const byXpath = await page.xpath("//button[@id='open-stats']");
  assert.ok(byXpath, 'found by XPath');
  assert.equal(await byXpath.text(), 'Statistics');
  assert.match(await (await page.$('.composer')).outerWxml(), /^<view class="card composer"><input .*id="new-todo".*<button .*>Add<\/button><\/view>$/);
  // Sizes and places.
  const size = await page.size();
  assert.ok(size.width > 0 && size.height > 0, 'page size ' + JSON.stringify(size));
  const add = await page.$('#add');
  const box = await add.size();
  assert.ok(box.width > 0 && box.height > 0, 'button size ' + JSON.stringify(box));
  const at = await add.offset();
  assert.ok(at.left > 0 && at.top >= 0, 'button offset ' + JSON.stringify(at));
});

test('triggers a component event and a bound tap', async () => {
  const [item] = await page.$$('todo-item');
  const id = (await page.data('visible'))[0].id;
  await item.trigger('toggle', { id });
  await until('the toggle', async () => (await page.data('visible'))[0].done === true);
  await until('the count', async () => (await (await page.$('#count')).text()) === '0 items left');
  await (await page.$('#filter-active')).trigger('tap');
  await until('the filter', async () => (await page.data('filter')) === 'active');
  assert.deepEqual(await page.data('visible'), []);
  await (await page.$('#filter-all')).tap();
  await until('the filter back', async () => (await page.data('filter')) === 'all');
  const style = await (await page.$('#filter-all')).style('display');
  assert.ok(style !== '' && style !== 'none', 'the filter is displayed: ' + style);
});

test('sets data and calls a page method', async () => {
  await page.setData({ draft: 'From setData' });
  assert.equal(await page.data('draft'), 'From setData');
  // setData answers once applied: the input shows it already.
  assert.equal(await (await page.$('#new-todo')).value(), 'From setData');
  await page.callMethod('onAdd');
  await until('the second todo', async () => (await page.data('visible')).length === 2);
  const stored = await mp.callWxMethod('getStorageSync', 'todos');
  assert.deepEqual(stored.map((t) => t.title), ['Buy milk', 'From setData']);
});

test('calls wx methods, sync and async', async () => {
  const info = await mp.systemInfo();
  assert.equal(typeof info.windowWidth, 'number');
  const res = await mp.callWxMethod('setStorage', { key: 'automator', data: 42 });
  assert.equal(res.errMsg, 'setStorage:ok');
  assert.equal(await mp.callWxMethod('getStorageSync', 'automator'), 42);
  await assert.rejects(mp.callWxMethod('noSuchMethod'), /not a function/);
});

test('mocks wx methods and restores them', async () => {
  await mp.mockWxMethod('showModal', { confirm: true, cancel: false, errMsg: 'showModal:ok' });
  const answer = await mp.callWxMethod('showModal', { title: 'Delete?', content: 'really' });
  assert.equal(answer.confirm, true);
  await mp.restoreWxMethod('showModal');

  // Restored, the real modal shows; native() presses its buttons.
  const asked = mp.callWxMethod('showModal', { title: 'Really?', content: 'a real modal' });
  await until('the modal to open', async () => {
    try {
      await mp.native().cancelModal();
      return true;
    } catch (e) {
      return false;
    }
  });
  const real = await asked;
  assert.equal(real.confirm, false);
  assert.equal(real.cancel, true);

  // The page's own call meets the mock: Copy list succeeds without the clipboard.
  await mp.mockWxMethod('setClipboardData', { errMsg: 'setClipboardData:ok' });
  await (await page.$('#copy')).tap();
  await until('the copy result', async () => (await page.data('copyResult')) === 'setClipboardData:ok');
  await mp.restoreWxMethod('setClipboardData');

  // A function mock, with this.origin and extra arguments.
  await mp.mockWxMethod('getSystemInfoSync', function (platform) {
    const real = this.origin();
    real.platform = platform;
    return real;
  }, 'mocked');
  const mocked = await mp.callWxMethod('getSystemInfoSync');
  assert.equal(mocked.platform, 'mocked');
  assert.equal(typeof mocked.windowWidth, 'number');
  await mp.restoreWxMethod('getSystemInfoSync');
  assert.notEqual((await mp.callWxMethod('getSystemInfoSync')).platform, 'mocked');
});

test("hears the app's console", async () => {
  const heard = [];
  mp.on('console', (msg) => heard.push(msg));
  await mp.evaluate(() => { console.log('from the test', 42); console.warn('careful'); });
  await until('the console lines', async () => heard.length >= 2);
  assert.deepEqual(heard.slice(0, 2), [{ type: 'log', args: ['from the test 42'] }, { type: 'warn', args: ['careful'] }]);
});

test('evaluates a function in the app', async () => {
  const n = await mp.evaluate(() => getCurrentPages().length);
  assert.equal(n, 1);
  const sum = await mp.evaluate((a, b) => a + b + getCurrentPages()[0].data.visible.length, 1, 2);
  assert.equal(sum, 5);
});

test('navigates with every route method', async () => {
  page = await mp.navigateTo('/pages/stats/stats?from=automator');
  assert.equal(page.path, 'pages/stats/stats');
  assert.equal(page.query.from, 'automator');
  assert.equal((await mp.pageStack()).length, 2);
  assert.equal(await page.data('total'), 2);
  assert.equal(await (await page.$('#stat-total')).text(), '2');

  page = await mp.navigateBack();
  assert.equal(page.path, 'pages/index/index');
  assert.equal((await mp.pageStack()).length, 1);

  page = await mp.redirectTo('/pages/stats/stats');
  assert.equal(page.path, 'pages/stats/stats');
  assert.equal((await mp.pageStack()).length, 1);

  page = await mp.reLaunch('/pages/index/index');
  assert.equal(page.path, 'pages/index/index');
  assert.equal((await mp.pageStack()).length, 1);

  // The todo app has no tab bar: switchTab fails as WeChat's would.
  await assert.rejects(mp.switchTab('/pages/stats/stats'), /switchTab:fail/);
});

test('takes a screenshot', async () => {
  const b64 = await mp.screenshot();
  const png = Buffer.from(b64, 'base64');
  assert.ok(png.length > 1000, 'a real picture: ' + png.length + ' bytes');
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (process.env.ARTIFACT_DIR) {
    await mp.screenshot({ path: path.join(process.env.ARTIFACT_DIR, 'automator-todo.png') });
    assert.ok(fs.statSync(path.join(process.env.ARTIFACT_DIR, 'automator-todo.png')).size > 1000);
  }
});

test('says what it does not serve', async () => {
  await assert.rejects(mp.exposeFunction('hello', () => {}), /not supported by Sandframe/);
});

test('closes the app', async () => {
  await mp.close();
  mp = null;
});
