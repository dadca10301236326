// The farm drives Debian's chromium (or CHROMIUM_PATH); puppeteer must never download a browser.
module.exports = {
  skipDownload: true,
  chrome: { skipDownload: true },
  'chrome-headless-shell': { skipDownload: true },
  firefox: { skipDownload: true },
};
