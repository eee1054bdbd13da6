#!/usr/bin/env node
// The `leaklab` bin: package managers link a .js file, so register tsx here and load the real CLI.
import { register } from 'tsx/esm/api';

register();
await import('./leaklab.ts');
