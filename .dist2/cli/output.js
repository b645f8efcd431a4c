// The progress bar of long work on a terminal.
export function progressBar(done, total) {
    const width = 30;
    const full = Math.round((done / Math.max(1, total)) * width);
    return `[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${done}/${total}`;
}
//# sourceMappingURL=output.js.map