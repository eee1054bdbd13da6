/** The text of `npx leaklab help`. */
export const USAGE = `leaklab: break and fix memory leaks in Node.js, with a checker that proves the fix

Usage (in the project folder, where npx runs the project's own leaklab):
  npx leaklab list                       the labs and the status of your last check of each
  npx leaklab run <lab> [--solution] [--entry FILE] [--port N]
                                         start a lab server, print its URL and a live memory readout
  npx leaklab check <lab> [--solution] [--entry FILE] [--json] [--watch]
                                         put your server.ts under load and judge: pass, leak or broken
  npx leaklab check --all [--solution]   check every lab (a scoreboard)
          [--reporter json|junit|github[=FILE]] [--learner NAME]
                                         reports for CI: a verdict file, JUnit XML, GitHub annotations
                                         and job summary (each to FILE, or stdout); repeat to combine
  npx leaklab scoreboard FILES… [--html FILE] [--since TIME]
                                         merge learners' verdict files (check --all --json) into one
                                         table: who passed which lab, and the time to the first pass
  npx leaklab hint <lab>                 one more hint each time you ask
  npx leaklab reset <lab>                restore the lab's server.ts (yours is kept in output/backups/)
  npx leaklab start                      the hub: the course with live lab panels (same as npm start)
  npx leaklab help                       this text

A lab is named by number (01), name (unbounded-cache) or folder (01-unbounded-cache).
Exit codes of check: 0 pass, 1 leak or broken feature, 2 could not run (or bad usage), 3 inconclusive.`;
