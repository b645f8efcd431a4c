// Typed access to a node's attributes: each read checks the attribute's type and applies the default,
// and its errors name the node and the attribute.
import { dimsText } from './dims.js';
import { fail, need } from './node.js';
import { AttributeType } from './schema.js';
/** Typed access to a node's attributes. */
export class Attrs {
    info;
    byName = new Map();
    constructor(info) {
        this.info = info;
        for (const a of info.node.attribute)
            if (a.name)
                this.byName.set(a.name, a);
    }
    has(name) {
        return this.byName.has(name);
    }
    get(name, type, what) {
        const a = this.byName.get(name);
        if (a === undefined)
            return undefined;
        if (a.ref_attr_name)
            fail(this.info, `attribute '${name}' refers to a function attribute`);
        need(a.type === undefined || a.type === AttributeType.UNDEFINED || a.type === type, this.info, `attribute '${name}' must be ${what}`);
        return a;
    }
    int(name, fallback) {
        const a = this.get(name, AttributeType.INT, 'an integer');
        return a === undefined ? fallback : (a.i ?? 0);
    }
    float(name, fallback) {
        const a = this.get(name, AttributeType.FLOAT, 'a float');
        return a === undefined ? fallback : (a.f ?? 0);
    }
    string(name, fallback) {
        const a = this.get(name, AttributeType.STRING, 'a string');
        return a === undefined ? fallback : utf8(a.s);
    }
    ints(name) {
        return this.get(name, AttributeType.INTS, 'a list of integers')?.ints;
    }
    floats(name) {
        return this.get(name, AttributeType.FLOATS, 'a list of floats')?.floats;
    }
    tensor(name) {
        const a = this.get(name, AttributeType.TENSOR, 'a tensor');
        if (a === undefined)
            return undefined;
        need(a.t !== undefined, this.info, `attribute '${name}' has no tensor`);
        return a.t;
    }
    /** A [height, width] pair (strides, dilations), defaulting to [1, 1]. */
    pair(name) {
        const v = this.ints(name);
        if (v === undefined)
            return [1, 1];
        need(v.length === 2 && v.every((x) => Number.isInteger(x) && x >= 1), this.info, `attribute '${name}' must be two positive integers (2-D only), got ${dimsText(v)}`);
        return [v[0], v[1]];
    }
}
function utf8(bytes) {
    return bytes ? new TextDecoder().decode(bytes) : '';
}
//# sourceMappingURL=attributes.js.map