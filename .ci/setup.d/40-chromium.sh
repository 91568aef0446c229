# shellcheck shell=bash
# Sourced by .ci/run: Debian's chromium for the browser test of
# examples/web-chat (test/browser/web-chat.test.ts, driven by puppeteer-core,
# which downloads no browser of its own). Without it that test fails under CI.
apt_install chromium
export CHROMIUM_PATH=/usr/bin/chromium
echo "chromium: $("$CHROMIUM_PATH" --version 2>/dev/null | head -n 1)"
