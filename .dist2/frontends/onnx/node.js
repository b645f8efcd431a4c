// A node as the conversion sees it, and the errors that name it.
import { InputError } from '../../ir/errors.js';
/** The domains of the standard operators; any other domain is a custom operator we do not know. */
export const DEFAULT_DOMAINS = new Set(['', 'ai.onnx']);
/** An error at the node (or at the graph, without one). */
export function fail(info, message) {
    throw new InputError(message, { node: info?.label });
}
/** Runs an IR check, reporting its failure at the ONNX node (the IR names the layer, which may differ). */
export function atNode(info, f) {
    try {
        return f();
    }
    catch (e) {
        if (e instanceof InputError && e.node !== info.label)
            throw new InputError(e.message, { node: info.label });
        throw e;
    }
}
/** Fails at the node with `message` unless `condition` holds. */
export function need(condition, info, message) {
    if (!condition)
        fail(info, message);
}
//# sourceMappingURL=node.js.map