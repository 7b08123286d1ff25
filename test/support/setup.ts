// Runs in every test file: the folders a file made with tempDir go when it ends.
import { afterAll } from 'vitest';
import { removeTempDirs } from './cli.js';

afterAll(removeTempDirs);
