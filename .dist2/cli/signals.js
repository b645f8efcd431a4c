// SIGINT (Ctrl-C), SIGTERM and SIGHUP stop memsched at once, search processes, compilers and generated
// programs too; outputs are written whole by rename, so none is left half-written, and the 'exit'
// listeners remove temporary folders.
import { stopChildren } from '../codegen/build.js';
const exitCodes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
let stopCode;
/** The exit code of the signal that is stopping memsched, if one is. */
export function stopping() {
    return stopCode;
}
export function exitOnSignals() {
    for (const [sig, code] of Object.entries(exitCodes))
        process.on(sig, () => {
            if (stopCode !== undefined)
                return;
            stopCode = code;
            process.stderr.write(sig === 'SIGINT' ? '\nmemsched: interrupted\n' : `\nmemsched: stopped by ${sig}\n`);
            void stopChildren().finally(() => process.exit(code));
        });
}
//# sourceMappingURL=signals.js.map