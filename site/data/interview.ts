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
      'It needs extra memory that grows with the number of objects and edges, far beyond the heap size: {m:snapshot-memory-ratio}.',
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
      'Page when the **old generation** (the heap spaces except the young ones) stays above about 75% of that limit for a few minutes: that is the line V8 enforces. It passed three quarters before every crash measured ({m:old-generation-of-cap-at-crash} at a 256 MiB cap).',
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
    trap: '"GC adds up to ten times the CPU before the crash." No such constant exists; read the mutator utilisation from the process.',
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
      'Start Node with `--heapsnapshot-near-heap-limit=1 --diagnostic-dir=DIR`: it {m:snapshot-near-limit}.',
      'Under PM2, pass those flags with `--node-args` (or `node_args` in the ecosystem file); in containers, {m:node-options-diagnostic-flags}. Put DIR on a volume with room.',
      '`--heap-prof` is not a crash tool: it {m:heap-prof-on-oom}.',
      'Leave memory headroom above the heap limit so the snapshot can be written.',
    ],
    trap: '"Run PM2 with `--heap-dump-on-oom`." PM2 has no such option; the feature is Node\'s own flag.',
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
