#!/usr/bin/env node
import { main } from '../dist/bundle/report.js';

process.exitCode = await main(process.argv.slice(2));
