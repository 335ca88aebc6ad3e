#!/usr/bin/env node
// Parse GIFT files with gift-pegjs (the parser behind the VS Code GIFT extension and the
// GIFT Quiz Editor) and print one JSON document: [{"file", "questions"} | {"file", "error"}].
// One process for every file, so the tests start node once.
"use strict";

const fs = require("fs");
const { parse } = require("gift-pegjs");

function read(file) {
  try {
    return { file, questions: parse(fs.readFileSync(file, "utf8")) };
  } catch (err) {
    const where = err.location ? err.location.start : null;
    return { file, error: { message: String(err.message), line: where && where.line, column: where && where.column } };
  }
}

process.stdout.write(JSON.stringify(process.argv.slice(2).map(read)));
