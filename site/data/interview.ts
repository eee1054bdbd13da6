/**
 * The interview questions: one list, read by both the static page (/interview/questions/) and the
 * practice mode (/interview/practice/), so the two can never say different things.
 *
 * Text fields use a small markup, rendered by site/components/PracticeText.astro:
 *   `code`          inline code
 *   **words**       strong emphasis
 *   {m:id}          a measured figure from site/data/measured.json (<Measured id="id" />)
 *   {mc:id}         the same, shown as code (error and warning texts)
 * Any number or measured behaviour goes through {m:...}, never typed as prose.
 */

/** Where the claim in an answer is proven: a measurement, a lab, or a course page. */
export type Proof =
  | { measured: string }
  | { lab: string }
  | { page: string; label: string };

export interface InterviewQuestion {
  /** Stable id: the anchor on the questions page and the key of the learner's progress. */
  id: string;
  /** A few words, shown above the question. */
  topic: string;
  question: string;
  /** The strong answer, as points a candidate should make. */
  strong: string[];
  /** The weak answer people give, and why it fails. */
  trap: string;
  /** What proves the strong answer: at least one. */
  proof: Proof[];
}

export const interviewQuestions: readonly InterviewQuestion[] = [
  {
    id: 'what-is-a-leak',
    topic: 'Fundamentals',
    question: 'What is a memory leak in a garbage-collected language like JavaScript?',
    strong: [
      'An object the program no longer needs that is still **reachable**: some chain of references leads to it from a root (module scope, the stack, an active timer or socket), so the collector must keep it.',
      'The collector frees exactly what is unreachable. A leak is never the collector failing; it is code still holding a reference it should have dropped.',
      'In a server it shows as memory that survives collection and grows with the work done: bytes per request, per connection, per job.',
    ],
    trap: '"Memory the garbage collector failed to free", or "any memory growth". The first blames the wrong party; the second confuses a leak with a cache that is still warming up or a legitimately larger working set.',
    proof: [
      { page: '/how-v8-works/reachability/', label: 'Roots, reachability and retainers' },
      { lab: '01-unbounded-cache' },
    ],
  },
  {
    id: 'leak-or-cache',
    topic: 'Detecting',
    question: 'Memory has been growing since the last deploy. How do you tell a leak from a cache warming up?',
    strong: [
      'Look at the memory that survives garbage collection (post-GC readings, or the minimum of each window), not at raw readings, which include garbage waiting to be collected.',
      'Plot it against work done (requests, connections), not only against time.',
      'A bounded cache grows until it reaches its bound, then stays flat however long the load runs. A leak keeps a positive slope per operation.',
      'Drive the load with many distinct keys: the same ten URLs never reveal a cache keyed by URL.',
    ],
    trap: '"It grew, so it leaks", or "it will level off". Both are guesses; the slope of post-GC memory against work done is the test.',
    proof: [
      { page: '/detect/trending/', label: 'Trend memory over time' },
      { lab: '01-unbounded-cache' },
    ],
  },
  {
    id: 'heapused-vs-rss',
    topic: 'Memory numbers',
    question: 'What is the difference between `heapUsed`, `heapTotal` and `rss` in `process.memoryUsage()`?',
    strong: [
      '`heapUsed`: bytes of JavaScript objects. It counts every V8 heap space, not only the old generation: {m:heapused-all-spaces}.',
      '`heapTotal`: what V8 has reserved for the heap so far. It moves on V8\'s own schedule and is not a limit.',
      '`external` and `arrayBuffers`: memory owned by JavaScript objects but allocated outside the heap, mostly `Buffer`s and typed arrays.',
      '`rss`: everything resident for the process: heap, off-heap memory, code, stacks. Growing `rss` with flat heap and `external` points at native memory; growing `arrayBuffers` points at retained buffers.',
    ],
    trap: '"`heapUsed` is how full the old generation is", or "alert when `heapUsed` nears `heapTotal`". The first is wrong about what is counted; the second compares with a number that is not a limit.',
    proof: [
      { measured: 'heapused-all-spaces' },
      { page: '/how-v8-works/memory-numbers/', label: 'What the memory numbers measure' },
      { lab: '05-outside-the-heap' },
      { lab: '04-uncleared-interval' },
    ],
  },
  {
    id: 'interval-leak',
    topic: 'Timers',
    question: 'When does `setInterval` cause a leak, and when is it fine?',
    strong: [
      'An active timer is a root: its callback and everything the callback can reach stay alive until the timer is cleared.',
      'One interval for the whole process (a metrics flush, a cache sweep) is fine: its cost is fixed.',
      'An interval started per request or per connection and never cleared leaks one timer, and everything it captured, per operation: the socket, a session, its buffers. Keep the handle and `clearInterval` it on `\'disconnect\'` or `res` `\'close\'`.',
      '`unref()` is not a fix: it lets the process exit while the timer exists, but the timer is still active and still holds everything.',
    ],
    trap: '"It leaks when the callback references outer variables." Capturing is normal; what leaks is the number of timers growing with the work and never being cleared.',
    proof: [
      { lab: '04-uncleared-interval' },
      { page: '/causes/timers/', label: 'Timers' },
    ],
  },
  {
    id: 'max-listeners-warning',
    topic: 'Event listeners',
    question: 'What exactly does `MaxListenersExceededWarning` tell you, and what do you do about it?',
    strong: [
      'One emitter has more than {m:max-listeners-default} listeners for **one event name**. The warning is printed once: {mc:max-listeners-warning-text}.',
      'Nothing is blocked: the listener is added and the count keeps growing silently after the first warning.',
      'It counts per event name, not per emitter: one listener on each of many names never warns ({m:max-listeners-per-event}).',
      'Treat it as a bug report: find the code that adds a listener per request or connection and remove it when that request or connection ends. Raise the limit only where many listeners are by design.',
    ],
    trap: '"Node stops you at eleven listeners", or "call `setMaxListeners(0)`". The first is false; the second silences the only alarm ({m:max-listeners-zero}) while the leak continues.',
    proof: [
      { measured: 'max-listeners-warning-text' },
      { measured: 'max-listeners-per-event' },
      { lab: '02-sse-listener' },
    ],
  },
  {
    id: 'req-vs-res-close',
    topic: 'Event listeners',
    question: 'To clean up per-request resources, do you listen for `req` `\'close\'` or `res` `\'close\'`?',
    strong: [
      '`res.on(\'close\')`: it fires when the response has finished or the connection is gone, whichever comes first.',
      'On a streaming GET both fire: {m:close-events-get}.',
      'On a POST whose body has been read, {m:close-events-post}, while the client is still connected. Cleanup on `req` then runs too early.',
      'For server-sent events, also write a heartbeat so a client that vanished without closing the connection is eventually noticed.',
    ],
    trap: '"`req.on(\'close\')` fires on normal and dropped disconnects, so it covers every path." True for a streaming GET, wrong for a POST with a body.',
    proof: [
      { measured: 'close-events-post' },
      { lab: '02-sse-listener' },
      { page: '/patterns/sse/', label: 'Server-sent events' },
    ],
  },
  {
    id: 'closure-scope',
    topic: 'Closures',
    question: 'Does a closure keep its entire enclosing scope alive?',
    strong: [
      'Not the entire scope: V8 keeps only variables that some inner function uses. A big local nothing uses is not retained ({m:closure-unused-mib}).',
      'But all closures created in one scope share one context object. A big local used only by a sibling closure that was thrown away is still kept alive by the closure you kept ({m:closure-sibling-mib}).',
      '`eval` inside the scope changes the rule: {m:closure-eval}.',
      'Fix: move the work that needs the big value into a separate function (its own scope), or drop the reference when done.',
    ],
    trap: '"Yes, the whole scope" or "no, only what it uses". Both miss the shared context, which is how real closure leaks happen.',
    proof: [
      { measured: 'closure-sibling-mib' },
      { lab: '03-closure-capture' },
      { page: '/causes/closures/', label: 'Closures' },
    ],
  },
  {
    id: 'closures-in-loops',
    topic: 'Closures',
    question: 'A loop creates a closure per item and keeps them all. Does switching from an index loop to `for…of` fix the memory cost?',
    strong: [
      'No. A million kept closures measured {m:closures-index-mib} with an index loop and {m:closures-forof-mib} with `for…of`.',
      'Even closures that capture nothing cost {m:closures-empty-mib}: the cost is a function object (and a context) per item.',
      'Fix: do not create a function per item. Keep the items as data and use one function that takes the item as an argument.',
    ],
    trap: '"`for…of` gives each closure only its own item, so it no longer holds the array." The capture barely matters next to a million function objects.',
    proof: [
      { measured: 'closures-forof-mib' },
      { measured: 'closures-empty-mib' },
      { page: '/patterns/common-mistakes/', label: 'Common mistakes' },
    ],
  },
  {
    id: 'unbounded-cache',
    topic: 'Caches',
    question: 'How do you bound an in-process cache in an Express app?',
    strong: [
      'Bound it by count or size: lru-cache with `max`, or `maxSize` with `sizeCalculation`. That is what keeps memory flat.',
      'A TTL bounds the age of entries, not their number: memory becomes distinct keys per second times the TTL. lru-cache warns about a TTL-only cache for this reason.',
      'node-cache has `maxKeys`, but it does not evict: when full, {m:node-cache-full-error}, so handle it.',
      'Control the keys: normalise what comes from the URL, never key by request objects, and cache plain data rather than objects that reference `req` or `res`.',
    ],
    trap: '"Add a TTL and a periodic cleanup." Under a burst of unique keys the cache still grows with the key rate; only a count or size bound caps it.',
    proof: [
      { lab: '01-unbounded-cache' },
      { measured: 'node-cache-full-error' },
      { page: '/patterns/express-caches/', label: 'Express caches' },
    ],
  },
  {
    id: 'remove-all-listeners',
    topic: 'socket.io',
    question: 'Should a socket.io server call `socket.removeAllListeners()` in its `\'disconnect\'` handler?',
    strong: [
      'It is unnecessary: listeners on the socket belong to the socket and are collected with it. Measured: {m:socketio-socket-listeners-freed}.',
      'The leaks come from longer-lived objects that point at the socket: a listener on an application-wide emitter ({m:socketio-bus-listener-retained}), a `Map` keyed by `socket.id` ({m:socketio-map-by-id-retained}), an interval per connection.',
      'So on `\'disconnect\'`: `off()` what you added to long-lived emitters, delete map entries, clear timers.',
    ],
    trap: 'Calling `removeAllListeners()` and calling it fixed, while the listener on the shared bus, the real leak, stays.',
    proof: [
      { measured: 'socketio-socket-listeners-freed' },
      { measured: 'socketio-bus-listener-retained' },
      { page: '/patterns/socketio/', label: 'socket.io' },
    ],
  },
  {
    id: 'ws-state-at-scale',
    topic: 'socket.io (senior)',
    question: '(Senior) A WebSocket server holds ten thousand connections. How do you bound per-client state without an O(n) cleanup pass?',
    strong: [
      'One `WeakMap` keyed by the **socket object** (or socket.io\'s `socket.data`). The entry lives exactly as long as the socket is reachable: {m:weakmap-by-socket-freed}, with no cleanup code.',
      'Make sure nothing else keeps sockets alive: listeners on shared emitters removed, timers cleared, no maps keyed by id.',
      'Make sure disconnects happen: ping interval {m:socketio-ping-interval-ms} and timeout {m:socketio-ping-timeout-ms} by default, so a silently dead client is dropped {m:socketio-dead-client-drop-s} after its last sign of life.',
      'Bound the state per client too: cap buffers and drop clients that stop reading, or one slow client can hold more memory than a thousand healthy ones.',
    ],
    trap: '"Shard the state into ten WeakMaps by `clientId % 10`." {m:socketio-id-is-string}; a WeakMap rejects a string key with {mc:weakmap-error-text}; and splitting a WeakMap makes no lookup faster. One WeakMap keyed by the socket does the job.',
    proof: [
      { measured: 'weakmap-by-socket-freed' },
      { measured: 'socketio-id-is-string' },
      { measured: 'socketio-dead-client-drop-s' },
      { page: '/patterns/socketio/', label: 'socket.io' },
      { lab: '06-socket-state' },
    ],
  },
  {
    id: 'weakref-vs-weakmap',
    topic: 'Weak references',
    question: 'How do `WeakRef` and `WeakMap` differ for caching?',
    strong: [
      '`WeakMap` holds its **keys** weakly: a value lives as long as its key object does. It is for attaching data to objects you do not own. Keys must be objects: a string throws {mc:weakmap-error-text}.',
      '`WeakRef` holds one target weakly; `deref()` returns it, or {m:weakref-deref-later-job} once the target was collected. A cache of WeakRefs needs a `FinalizationRegistry` to remove dead entries, or the map of empty refs leaks.',
      'Neither keeps "the last N items": a weak cache loses entries whenever the collector runs. For that, use an LRU with `max`, possibly in front of a weak cache.',
      'Both `WeakRef` and `FinalizationRegistry` are available on {m:weakref-available}; finalization callbacks may never run, so never release resources in them.',
    ],
    trap: '"`WeakMap` is a cache keyed by id that cleans itself up." It cannot take an id as a key, and the entry\'s lifetime follows the key object, not any notion of use.',
    proof: [
      { measured: 'weakref-available' },
      { measured: 'weakmap-error-text' },
      { page: '/patterns/weakref/', label: 'WeakRef and FinalizationRegistry' },
    ],
  },
  {
    id: 'two-snapshots',
    topic: 'Heap snapshots',
    question: 'You have two heap snapshots. How do you find the leak in them?',
    strong: [
      'They must bracket a known amount of work: baseline after warm-up, then N operations, then the second snapshot.',
      'In DevTools, open the second in the **Comparison** view against the first and sort by **# Delta**: constructors that grew by about N (or a multiple) are the suspects.',
      'Select one instance and read its **Retainers** towards the root: the first long-lived object your code owns (a module-level map, an emitter\'s listener array, a timer) holds the edge that should have been removed.',
      'Confirm with a third snapshot after another N operations, then fix and check that post-GC memory no longer grows with the load.',
    ],
    trap: '"Sort by size and the biggest constructor is the leak." Compiled code and strings often top the list without leaking anything; the delta that tracks the load is the signal.',
    proof: [
      { page: '/detect/reading-snapshots/', label: 'Read a snapshot: Comparison and Retainers' },
      { lab: '02-sse-listener' },
    ],
  },
  {
    id: 'snapshot-cost',
    topic: 'Heap snapshots',
    question: 'What does taking a heap snapshot of a running server cost?',
    strong: [
      'It is synchronous: the process serves nothing until the file is written. Measured: {m:snapshot-blocks-ms}.',
      'It needs extra memory that grows with the number of objects and edges, not with bytes: {m:snapshot-memory-ratio} on a heap of many tiny objects, the worst case; a heap of fewer, bigger objects costs less. Plan for the worst.',
      'So: snapshot small heaps (reproduce with a low heap limit), and in production only on a drained instance with memory headroom.',
    ],
    trap: '"It needs about twice the heap, so it is safe on a live server." It can need much more, and it freezes the server meanwhile.',
    proof: [
      { measured: 'snapshot-blocks-ms' },
      { measured: 'snapshot-memory-ratio' },
      { page: '/detect/heap-snapshots/', label: 'Take heap snapshots' },
    ],
  },
  {
    id: 'prod-no-downtime',
    topic: 'Production',
    question: 'How do you find a leak in production without downtime?',
    strong: [
      'Start with metrics: which series grows (`heapUsed`, `external`, `rss`), since which deploy, with which traffic. Then try to reproduce on a test instance with a low heap limit.',
      'If you must look at production: take **one instance out of rotation**, check it has memory to spare, and trigger the snapshot with a signal (started with `--heapsnapshot-signal`, the process {m:heapsnapshot-signal-writes}) or with the inspector switched on by `SIGUSR1` and reached through an SSH tunnel to {mc:inspector-default-address}.',
      'The snapshot blocks ({m:snapshot-blocks-ms}) and needs memory ({m:snapshot-memory-ratio}), which is why the instance is drained first.',
      'Treat the file like a database dump (it contains secrets and personal data), and restart the instance afterwards.',
    ],
    trap: '"Attach `--inspect` and take two snapshots under live load." The snapshot freezes the instance that is serving traffic, can push it over its memory limit, and an inspector bound beyond loopback lets anyone run code in it.',
    proof: [
      { measured: 'snapshot-blocks-ms' },
      { measured: 'heapsnapshot-signal-writes' },
      { measured: 'inspector-sigusr1' },
      { page: '/production/live-snapshots/', label: 'Snapshot a live process safely' },
    ],
  },
  {
    id: 'alert-rules',
    topic: 'Production',
    question: 'Which memory alerts would you put on a Node service?',
    strong: [
      'Start the process with an explicit `--max-old-space-size` (sized to the container) and export it as a gauge: prom-client has no limit at all ({m:prom-no-heap-limit}).',
      'Page when the **old generation** (the heap spaces except the young ones) stays above about 75% of that limit for a few minutes: that is the line V8 enforces. At a 256 MiB cap it passed three quarters before every crash measured ({m:old-generation-of-cap-at-crash}); keep the cap well above the young generation, or one GC can jump from below the line to the crash.',
      'Not `heapUsed` against `heap_size_limit`: the limit includes the young generation\'s reserve, so before the crash the ratio peaked at {m:heap-used-of-limit-at-crash}. "80% of the heap limit" can stay silent until the process dies.',
      'Open a ticket when the floor of the old generation keeps rising for hours: it catches a slow leak long before the limit. Watch resident memory against the container limit too, and graph restarts.',
    ],
    trap: '"Alert at 80% of `heapTotal`" or "at 80% of the heap limit". `heapTotal` is reserved memory, not a limit; and the heap limit is `--max-old-space-size` plus a young reserve that differs between Node lines ({m:heap-limit-flag}), which the old generation never gets.',
    proof: [
      { measured: 'heap-used-of-limit-at-crash' },
      { measured: 'old-generation-of-cap-at-crash' },
      { page: '/production/metrics-and-alerts/', label: 'Metrics and alerts that work' },
    ],
  },
  {
    id: 'raise-heap-limit',
    topic: 'Production',
    question: 'The service crashes with "JavaScript heap out of memory". Is raising `--max-old-space-size` the fix?',
    strong: [
      'Only if the post-GC floor is flat and the working set is simply larger than the limit.',
      'For a leak it moves the crash later and makes it worse: longer stretches of back-to-back full collections, and a bigger chance that the operating system kills the process first, with no diagnostics.',
      'The default limit depends on the machine (on a 24 GB machine, {m:heap-limit-default-mib}), which is one reason a leak "only happens in production".',
      'Use a raise as borrowed time with alerts in place, capture a snapshot near the limit, and find the retainer.',
    ],
    trap: '"Yes, give it 8 GB." A leak grows until it reaches whatever limit it is given.',
    proof: [
      { measured: 'heap-limit-default-mib' },
      { page: '/production/heap-limit/', label: 'Raising the heap limit is not a fix' },
    ],
  },
  {
    id: 'near-limit',
    topic: 'GC',
    question: 'What does a leaking Node process go through before it dies of out-of-memory?',
    strong: [
      'Full collections come back to back and free almost nothing ({m:gc-near-limit-pause-ms} in our measurement).',
      'The program gets a small share of the time: `--trace-gc` showed a mutator utilisation (`mu`) of {m:gc-near-limit-mu}. Latency climbs, requests time out.',
      'Then V8 aborts: {m:gc-near-limit-abort-text}.',
      'You read this from `--trace-gc`, from `perf_hooks` gc entries, or from `nodejs_gc_duration_seconds`; there is no fixed multiplier for the overhead.',
    ],
    trap: '"GC adds up to ten times the CPU before the crash", or "search the logs for Ineffective mark-compacts". No such constant exists (read the mutator utilisation), and the FATAL ERROR line names one of two reasons depending on the run, so search for `JavaScript heap out of memory`.',
    proof: [
      { measured: 'gc-near-limit-mu' },
      { measured: 'gc-near-limit-abort-text' },
      { page: '/detect/crashes-and-gc/', label: 'Crashes and GC traces' },
    ],
  },
  {
    id: 'crash-evidence',
    topic: 'Production',
    question: 'How do you get evidence out of a process that dies of out-of-memory, for example under PM2?',
    strong: [
      'Create a folder, then start Node with `--heapsnapshot-near-heap-limit=1 --diagnostic-dir=DIR`: it {m:snapshot-near-limit}. Without the folder it is worse than nothing: on a signal, {m:diagnostic-dir-missing-signal}.',
      'Add `--report-on-fatalerror`: a diagnostic report (stacks, heap spaces, handles) costs {m:report-write-ms}, but it holds the environment variables, so protect the folder.',
      'Under PM2, pass those flags with `--node-args` (or `node_args` in the ecosystem file); in containers, {m:node-options-diagnostic-flags}. Put DIR on a volume with room.',
      '`--heap-prof` is not a crash tool: it {m:heap-prof-on-oom}.',
      'Know which death it was: exit code {m:oom-exit-status} is V8 giving up on a full heap (the snapshot and report exist); {m:killed-exit-status} is the kernel enforcing the container limit (nothing exists).',
      'Leave memory headroom above the heap limit so the snapshot can be written.',
    ],
    trap: '"Run PM2 with `--heap-dump-on-oom`", or pointing `--diagnostic-dir` at a folder nobody created. PM2 has no such option (the feature is Node\'s own flag), and a missing folder means no snapshot at all.',
    proof: [
      { measured: 'snapshot-near-limit' },
      { measured: 'heap-prof-on-oom' },
      { page: '/production/pm2/', label: 'PM2 and process managers' },
      { lab: '07-post-mortem' },
    ],
  },
  {
    id: 'clinic',
    topic: 'Tools',
    question: 'Would you reach for clinic.js to find a memory leak today?',
    strong: [
      'Not first: its maintainers describe it as no longer actively maintained, and `clinic doctor` does not work on current Node lines.',
      '`clinic doctor`\'s memory check flags long garbage-collection pauses, a late symptom, not leaks as such.',
      'Node\'s own tools cover it: post-GC trends, heap snapshot comparison, `--trace-gc`, `--heap-prof`.',
    ],
    trap: '"`clinic doctor` detects the leak automatically." It looks at pauses, and it is not maintained for current Node versions.',
    proof: [
      { page: '/detect/tools/', label: 'clinic.js and other tools' },
    ],
  },
  {
    id: 'rss-flat-heap',
    topic: 'Memory numbers (senior)',
    question: '`rss` keeps climbing while `heapUsed` is flat. What is going on, and how do you find it?',
    strong: [
      'The memory is outside the V8 heap. First split it: if `arrayBuffers`/`external` climb with `rss`, it is Buffers or typed arrays kept by JavaScript objects, and a heap snapshot still finds their owners (small wrappers with a big retained size).',
      'If only `rss` climbs, it is native memory V8 does not know about: a native library\'s state or the allocator. Example: 500 open zlib streams gave {m:zlib-native-memory}.',
      'Native resources are freed when their JavaScript owner is closed or collected ({m:zlib-destroy-frees}), so count the owners in a snapshot (by count, not size), and check for streams or handles never closed.',
      'Beyond that, the operating system\'s view: `/proc/<pid>/smaps_rollup`, `pmap`, a native profiler such as heaptrack on a reproduction; `MALLOC_ARENA_MAX` when many threads leave free memory in glibc arenas (measure, it depends on the workload).',
    ],
    trap: '"Take a heap snapshot." It shows the heap; native memory appears at most as small handle objects, and a flat heap in the snapshot proves nothing about `rss`.',
    proof: [
      { measured: 'zlib-native-memory' },
      { page: '/detect/outside-the-heap/', label: 'Memory outside the JavaScript heap' },
      { lab: '05-outside-the-heap' },
    ],
  },
  {
    id: 'exit-134-137',
    topic: 'Production (senior)',
    question: 'A pod restarts with exit code 137 (`OOMKilled`); another with 134. What is the difference, and how would you size the heap in a 2 GiB pod?',
    strong: [
      '134 is 128 + SIGABRT: V8 aborted because the old generation reached its limit ({m:oom-exit-status}); the FATAL ERROR line, a diagnostic report and a near-limit snapshot can exist.',
      '137 is 128 + SIGKILL: the kernel killed the whole process for exceeding the container\'s memory limit ({m:killed-exit-status}); nothing from Node survives. The heap limit was too high for the pod, or the memory grows outside the heap.',
      'Size it deliberately: the old generation (`--max-old-space-size`, or `--max-old-space-size-percentage` on {m:old-space-percentage-flag}) plus the young reserve ({m:young-generation-reserve}) plus what lives outside the heap (measure `rss - heapUsed` under load) plus room for a near-limit snapshot, below 2 GiB.',
      'Then a heap leak ends in a 134 with evidence, before the cgroup can end it in a 137.',
    ],
    trap: '"The default follows the container, so leave it", or "set `--max-old-space-size` to the pod\'s memory". The default follows the cgroup by V8\'s own rule, which changes between versions; and a heap as big as the pod leaves nothing for Buffers, code and stacks, so the kernel kills it first.',
    proof: [
      { measured: 'oom-exit-status' },
      { measured: 'killed-exit-status' },
      { page: '/production/heap-limit/', label: 'Raising the heap limit is not a fix' },
    ],
  },
  {
    id: 'leak-regression-test',
    topic: 'Testing',
    question: 'You fixed a leak. How do you stop it coming back, in CI?',
    strong: [
      'If the leak has a countable mechanism (listeners, timers, map entries, open sockets), assert the count returns to its start value after N operations: exact, never flaky.',
      'Otherwise measure bytes per call: run the code in rounds, force full GCs between rounds (`--expose-gc`), fit a line through post-GC `heapUsed`, and fail above a threshold. A handler keeping a line of text per request measured {m:regression-leaky-caught}; the fixed one {m:regression-clean-passes}.',
      'Warm up first (caches, compiled code), use many distinct keys, and never assert on time: the test measures bytes.',
    ],
    trap: '"Assert `heapUsed` after the test is below some number", or "run it for a minute and check memory did not grow". One reading includes garbage and warm-up; a time budget makes it flaky on a slow runner.',
    proof: [
      { measured: 'regression-leaky-caught' },
      { page: '/detect/regression-test/', label: 'A leak regression test for CI' },
    ],
  },
  {
    id: 'promise-leaks',
    topic: 'Async (senior)',
    question: 'Can promises or `AsyncLocalStorage` leak memory?',
    strong: [
      'A promise keeps its reactions (callbacks, suspended `async` functions) while it is reachable. A handler waiting on a promise nothing can settle is simply collected ({m:suspended-async-unreachable}); one whose `resolve` sits in a table of pending requests stays ({m:suspended-async-resolver-kept}). Give every pending entry a timeout or an exit path.',
      '`Promise.race([shutdown, work])` in a loop adds a reaction to the long-lived promise every turn: {m:promise-race-per-iteration}.',
      'An interval started inside `AsyncLocalStorage.run()` keeps that run\'s store: {m:als-timer-keeps-store}. Start background work outside the request context (`storage.exit()`), keep stores small.',
    ],
    trap: '"A pending `await` is a GC root, so every unresolved promise leaks." It is not a root; the leak is whatever long-lived object still reaches the promise.',
    proof: [
      { measured: 'suspended-async-unreachable' },
      { measured: 'promise-race-per-iteration' },
      { page: '/patterns/promises-and-async/', label: 'Promises and async code' },
    ],
  },
  {
    id: 'profile-or-snapshot',
    topic: 'Tools',
    question: 'Allocation sampling, heap snapshot, allocation timeline: which do you use when?',
    strong: [
      'Two heap snapshots around a known load first: they show *what* is retained and *who holds it* (retainers).',
      'A sampling profile (`--heap-prof`, DevTools allocation sampling) shows *which code allocated* the memory that is still alive: V8 drops samples of collected objects ({m:sampling-keeps-live}). It is cheap enough for a run under load; it is written only when the process exits through Node ({m:heap-prof-endings}).',
      'The allocation timeline records every allocation with its stack, garbage included: {m:allocation-tracking-cost}. Use it on a test instance to see what a single action allocates.',
    ],
    trap: '"`--heap-prof` shows which code allocates the most." By default it shows what is still alive; the allocation-heavy code that makes only garbage barely appears.',
    proof: [
      { measured: 'sampling-keeps-live' },
      { measured: 'allocation-tracking-cost' },
      { page: '/detect/crashes-and-gc/', label: 'Crashes and GC traces' },
    ],
  },
  {
    id: 'worker-heaps',
    topic: 'Worker threads',
    question: 'How does memory work with worker threads, and what happens when one leaks?',
    strong: [
      'Each worker is its own V8 isolate with its own heap and limit; objects are copied (or transferred) between them, never shared.',
      'Cap each with `resourceLimits`: a worker with `maxOldGenerationSizeMb: 32` got {m:worker-heap-limit}. Past it, only the worker dies, with {mc:worker-oom-error}, and the main heap was {m:worker-main-heap-unaffected}.',
      'But `rss` and the container limit count every thread: size the pool as the sum of its caps plus the main thread.',
    ],
    trap: '"Workers share the heap, so one limit covers them", or "a leaking worker takes the process down". Neither: separate heaps, separate limits, but one process\'s memory.',
    proof: [
      { measured: 'worker-oom-error' },
      { page: '/patterns/cluster-workers/', label: 'Cluster workers and worker threads' },
    ],
  },
  {
    id: 'slices',
    topic: 'Strings and Buffers (senior)',
    question: 'A cache holds short ids and 32-byte hashes, yet it costs hundreds of megabytes. How?',
    strong: [
      'The ids are substrings of big strings: V8 keeps substrings of {m:sliced-string-min-length} as sliced strings pointing into their parent, so {m:sliced-string-keeps-parent}.',
      'The hashes are `subarray()` views of big Buffers: {m:buffer-subarray-keeps-parent}. Small pooled Buffers each keep a slab: {m:buffer-pool-slab}.',
      'Copy what you keep from something big: `Buffer.from(view)`, or a copied string. In a snapshot, look for small strings or Buffers with a huge retained size.',
    ],
    trap: '"Strings are values, a short string costs its length." Not when V8 shares the parent\'s memory.',
    proof: [
      { measured: 'sliced-string-keeps-parent' },
      { page: '/patterns/views-of-big-data/', label: 'Small views of big data' },
    ],
  },
  {
    id: 'no-constructor-name',
    topic: 'Heap snapshots (senior)',
    question: 'The comparison shows growth in `Object`, `(string)` and `(closure)`, with no class of yours. How do you find the leak?',
    strong: [
      'Plain object literals, strings and functions have no useful constructor name, so go by retainers: pick a few new instances of the growing row and read their retainer paths; the same long-lived owner (a map, an emitter\'s listener array, a timer) appears on all of them.',
      'Sort by retained size to find the owner directly: a small container with a huge retained size.',
      'Look at the objects\' properties in the snapshot (the same set of keys identifies where they were built), and at strings\' contents (ids, URLs).',
      'If still unclear, take a sampling profile: it names the function that allocated the surviving memory. For the future, give long-lived data a class, so snapshots name it.',
    ],
    trap: '"Sort by size and chase the biggest row." `(string)` and `(compiled code)` top most snapshots without leaking; the delta that tracks the load and the retainer path are the signal.',
    proof: [
      { page: '/detect/reading-snapshots/', label: 'Read a snapshot: Comparison and Retainers' },
      { measured: 'sampling-keeps-live' },
      { lab: '07-post-mortem' },
    ],
  },
];

/** Throws on duplicate ids, malformed ids, or a question without proof: fails the build, not the reader. */
function validate(questions: readonly InterviewQuestion[]): void {
  const seen = new Set<string>();
  for (const q of questions) {
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(q.id)) throw new Error(`interview question id "${q.id}" must be lower-case words joined by dashes`);
    if (seen.has(q.id)) throw new Error(`interview question id "${q.id}" is used twice`);
    seen.add(q.id);
    if (q.strong.length === 0 || q.trap === '' || q.proof.length === 0) {
      throw new Error(`interview question "${q.id}" needs a strong answer, a trap and at least one proof`);
    }
  }
}

validate(interviewQuestions);
