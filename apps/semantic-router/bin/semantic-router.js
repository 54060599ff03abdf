#!/usr/bin/env node
// Committed shim so npm links the `semantic-router` bin at install time (the compiled entry point
// does not exist yet then; `npm ci` builds it in `prepare`).
require('../dist/main.js');
