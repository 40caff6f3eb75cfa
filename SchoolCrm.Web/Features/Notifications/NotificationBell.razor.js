// The page's one connection to /hubs/notifications, with the official SignalR client (wwwroot/lib/signalr, from
// npm). It lives as long as the page, independent of Blazor's circuit: a circuit that reconnects finds it still
// there. Every signal is handed to the listening components (.NET references); a tab that missed signals (the hub
// connection or the circuit was down) asks the server what came after the last notification it knows.
let connection = null;
const listeners = new Set();

function setState(state) {
    document.documentElement.dataset.notifications = state;
}

// How long a call into the circuit may take before the tab assumes it was lost and catches up later.
const answerTimeoutMs = 5000;

// A call into the circuit that fails when the circuit does not answer. While the circuit is disconnected
// invokeMethodAsync neither fails nor answers (Blazor drops the message and the promise stays pending for ever), or it
// throws at once: both end here as a rejection. Receive and CatchUp are idempotent, so a slow answer that still comes
// only costs one more catch-up.
function invoke(listener, method, ...args) {
    const call = new Promise(resolve => resolve(listener.invokeMethodAsync(method, ...args)));
    const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error("the circuit did not answer")), answerTimeoutMs));
    return Promise.race([call, timeout]);
}

function tell(listener, method, ...args) {
    invoke(listener, method, ...args).catch(() => catchUpLater(listener, 1));
}

// The circuit is away (reconnecting): catch up once it answers again; a circuit gone for good reloads the page anyway.
function catchUpLater(listener, attempt) {
    if (attempt <= 60 && listeners.has(listener)) {
        setTimeout(() => invoke(listener, "CatchUp").catch(() => catchUpLater(listener, attempt + 1)), 2000);
    }
}

async function start() {
    try {
        await connection.start();
        setState("connected");
        listeners.forEach(l => tell(l, "CatchUp"));
    } catch {
        setState("disconnected");
        setTimeout(start, 5000);
    }
}

function ensureConnection() {
    if (connection) {
        return;
    }

    connection = new signalR.HubConnectionBuilder()
        .withUrl("/hubs/notifications")
        // Never give up: retry after 0, 1, 2, 4 ... at most 30 seconds.
        .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => Math.min(30000, ctx.previousRetryCount === 0 ? 0 : 1000 * 2 ** (ctx.previousRetryCount - 1)) })
        .build();
    connection.on("notification", signal => listeners.forEach(l => tell(l, "Receive", signal.id, signal.popup)));
    connection.onreconnecting(() => setState("reconnecting"));
    connection.onreconnected(() => {
        setState("connected");
        listeners.forEach(l => tell(l, "CatchUp"));
    });
    // Closed for good (signed out elsewhere, the cookie expired, refused): try again later; a refused user stays out.
    connection.onclose(() => {
        setState("disconnected");
        setTimeout(start, 5000);
    });
    start();
}

export function listen(listener) {
    listeners.add(listener);
    ensureConnection();
    if (connection.state === "Connected") {
        tell(listener, "CatchUp");
    }
}

export function stop(listener) {
    listeners.delete(listener);
}
