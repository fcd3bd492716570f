#!/usr/bin/env node
// The stratus command; the code lives in dist/ (npm run build).
import { main } from '../dist/pkg/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
