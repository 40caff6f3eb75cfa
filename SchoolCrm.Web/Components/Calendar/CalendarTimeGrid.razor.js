// Opens a week or day at the working morning instead of midnight: scrolls the hours so that `hour` is at the top.
export function scrollToHour(body, hour) {
    const slot = body?.querySelector(`[data-time="${String(hour).padStart(2, "0")}:00"]`);
    if (slot) {
        // A little above the hour's line, so its label shows whole.
        body.scrollTop += slot.getBoundingClientRect().top - body.getBoundingClientRect().top - 8;
    }
}
