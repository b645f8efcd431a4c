// The conversion's state and the helpers every operator uses: what each ONNX name stands for, the IR
// layers made so far, how many readers each value has, and typed access to a node's inputs. The
// operators themselves live in ops/, one file per family; this class dispatches each node to its handler.
import { buildNetwork, inferShape } from '../../ir/build.js';
import { noPads, shapeText } from '../../ir/network.js';
import { Attrs } from './attributes.js';
import { FOLDABLE } from './constfold.js';
import { decodeTensor, ExternalData } from './decode.js';
import { dimsText, dimText, product, sameList } from './dims.js';
import { inputShape, removeAliases, sortNodes } from './graph.js';
import { atNode, DEFAULT_DOMAINS, fail, need } from './node.js';
import { writtenOutActivation } from './ops/activations.js';
import { foldConstants } from './ops/constants.js';
import { handlers } from './ops/index.js';
import { describe } from './values.js';
export class Converter {
    name;
    graph;
    opset;
    values = new Map();
    /** Consumers of each ONNX value (after alias resolution); graph outputs count as consumers. */
    uses = new Map();
    consumers = new Map();
    graphOutputs = new Set();
    specs = [];
    layers = new Map();
    shapes = new Map();
    /** ONNX values that are views of an IR tensor (its producer's output, aliases, flattenings). */
    views = new Map();
    /** Uses of an IR tensor's views by nodes that only made further views of it. */
    internalUses = new Map();
    takenNames = new Set();
    nodeNameCount = new Map();
    /** Nodes of a written-out activation after its first one: views of the tensor it was folded into. */
    activationNodes = new Map();
    producers = new Map();
    external;
    aliases = new Map();
    constructor(model, name, baseDir) {
        this.name = name;
        this.graph = model.graph;
        this.external = new ExternalData(baseDir);
        const opsets = model.opset_import.filter((o) => DEFAULT_DOMAINS.has(o.domain ?? ''));
        // Models without an opset entry predate them; the opset only changes Softmax's default axis.
        this.opset = opsets.length > 0 ? Math.max(...opsets.map((o) => o.version ?? 1)) : 1;
    }
    convert() {
        const graph = this.graph;
        need(graph.node.length > 0, undefined, 'the graph has no nodes');
        for (const t of graph.initializer) {
            need(t.name, undefined, 'an initializer has no name');
            this.values.set(t.name, { kind: 'const', constant: { name: t.name, dims: this.dims(t), proto: t } });
        }
        const inputs = this.inputs();
        for (const n of graph.node)
            if (n.name)
                this.nodeNameCount.set(n.name, (this.nodeNameCount.get(n.name) ?? 0) + 1);
        for (const [n, count] of this.nodeNameCount)
            if (count === 1)
                this.takenNames.add(n);
        const nodes = removeAliases(sortNodes(graph, (name) => this.values.has(name)), graph, this.aliases);
        for (const info of nodes)
            for (const o of info.outputs)
                if (o)
                    this.producers.set(o, info);
        for (const info of nodes)
            for (const t of info.inputs)
                if (t) {
                    this.uses.set(t, (this.uses.get(t) ?? 0) + 1);
                    const list = this.consumers.get(t) ?? [];
                    list.push(info);
                    this.consumers.set(t, list);
                }
        const outputNames = graph.output.map((o) => {
            need(o.name, undefined, 'a graph output has no name');
            const resolved = this.resolve(o.name);
            this.graphOutputs.add(resolved);
            this.uses.set(resolved, (this.uses.get(resolved) ?? 0) + 1);
            return resolved;
        });
        need(outputNames.length > 0, undefined, 'the graph has no outputs');
        for (const info of nodes)
            this.convertNode(info);
        const outputs = [];
        graph.output.forEach((o, i) => {
            const tensor = this.outputTensor(o, outputNames[i]);
            if (!outputs.includes(tensor))
                outputs.push(tensor);
        });
        need(this.specs.length > 0, undefined, 'the graph computes nothing (no layers)');
        return buildNetwork(this.name, inputs, this.specs, outputs);
    }
    // --- graph structure ------------------------------------------------------------------------
    dims(t) {
        for (const d of t.dims)
            need(Number.isInteger(d) && d >= 0, undefined, `tensor '${t.name}' has invalid dims ${dimsText(t.dims)}`);
        return t.dims;
    }
    inputs() {
        const result = [];
        for (const vi of this.graph.input) {
            need(vi.name, undefined, 'a graph input has no name');
            if (this.values.has(vi.name))
                continue; // an initializer listed as input (older exporters)
            const { shape, rank } = inputShape(vi);
            result.push({ name: vi.name, shape });
            this.shapes.set(vi.name, shape);
            this.values.set(vi.name, { kind: 'tensor', tensor: vi.name, rank });
            this.views.set(vi.name, [vi.name]);
            this.takenNames.add(vi.name);
        }
        need(result.length > 0, undefined, 'the graph has no inputs (besides initializers)');
        return result;
    }
    resolve(name) {
        return this.aliases.get(name) ?? name;
    }
    outputTensor(vi, resolved) {
        const v = this.values.get(resolved);
        const what = `graph output '${vi.name}'`;
        need(v !== undefined, undefined, `${what} is not computed by any supported node`);
        need(v.kind === 'tensor', undefined, `${what} is ${describe(v)}, not a feature map`);
        need(this.layers.has(v.tensor), undefined, `${what} is the network input '${v.tensor}' itself`);
        const shape = this.shapes.get(v.tensor);
        const declared = vi.type?.tensor_type?.shape?.dim;
        if (declared && declared.length >= 2 && declared.slice(1).every((d) => (d.dim_value ?? 0) > 0)) {
            const dims = declared.slice(1).map((d) => d.dim_value);
            const ok = dims.length === 3
                ? sameList(dims, [shape.c, shape.h, shape.w])
                : product(dims) === shape.c * shape.h * shape.w;
            need(ok, undefined, `${what} is declared ${dimsText(declared.map(dimText))} but the network computes ${shapeText(shape)}`);
        }
        return v.tensor;
    }
    // --- layers, views, names -------------------------------------------------------------------
    layerName(info, suffix) {
        const own = info.node.name;
        const ownUnique = own !== undefined && own !== '' && this.nodeNameCount.get(own) === 1 && !this.shapes.has(own);
        if (suffix === undefined && ownUnique && !this.layers.has(own))
            return own;
        const base = suffix === undefined
            ? `${info.op}_${info.index}`
            : `${ownUnique ? own : `${info.op}_${info.index}`}_${suffix}`;
        let name = base;
        for (let k = 2; this.takenNames.has(name); k++)
            name = `${base}_${k}`;
        this.takenNames.add(name);
        return name;
    }
    addLayer(info, spec) {
        const layer = atNode(info, () => inferShape(spec, spec.inputs.map((t) => this.shapes.get(t))));
        this.shapes.set(spec.name, layer.shape);
        this.specs.push(spec);
        this.layers.set(spec.name, spec);
        return spec;
    }
    /** Output `k` of the node is the new IR tensor `tensor`. */
    defineLayerOutput(info, k, tensor, rank) {
        const out = info.outputs[k];
        this.views.set(tensor, out ? [out] : []);
        this.internalUses.set(tensor, 0);
        if (out)
            this.values.set(out, { kind: 'tensor', tensor, rank });
    }
    /** Output `k` of the node is another view of an existing IR tensor (alias, flattening, folded op). */
    defineView(info, k, tensor, rank) {
        const out = info.outputs[k];
        const views = this.views.get(tensor);
        const consumed = info.inputs.filter((t) => t && views.includes(t)).length;
        this.internalUses.set(tensor, (this.internalUses.get(tensor) ?? 0) + consumed);
        if (!out)
            return;
        views.push(out);
        this.values.set(out, { kind: 'tensor', tensor, rank });
    }
    /** How many operations read an IR tensor, whichever view they use (network outputs included). */
    usesOf(tensor) {
        const views = this.views.get(tensor) ?? [];
        return views.reduce((n, v) => n + (this.uses.get(v) ?? 0), 0) - (this.internalUses.get(tensor) ?? 0);
    }
    /** The layer producing input i, which must have no other reader, to fold an operator into. */
    foldTarget(info, i) {
        const ref = this.tensorIn(info, i);
        const layer = this.layers.get(ref.tensor);
        need(layer !== undefined, info, `${info.op} directly on the network input '${ref.tensor}' is not supported (it must follow a layer)`);
        const readers = this.usesOf(ref.tensor);
        need(readers <= 1, info, `cannot fold ${info.op} into '${layer.name}': its output '${info.inputs[i]}' has ${readers - 1} other consumer${readers > 2 ? 's' : ''} or is a network output`);
        return { layer, ref };
    }
    // --- inputs ---------------------------------------------------------------------------------
    /** Whether a constant is read more than once (weights shared by several layers). */
    isShared(c) {
        return (this.uses.get(c.name) ?? 0) > 1;
    }
    value(info, i) {
        const name = info.inputs[i];
        need(name, info, `input ${i + 1} is missing`);
        const v = this.values.get(name);
        need(v !== undefined, info, `input '${name}' is not produced by a supported node`);
        return v;
    }
    tensorIn(info, i) {
        const v = this.value(info, i);
        need(v.kind === 'tensor', info, `input '${info.inputs[i]}' is ${describe(v)}, not a feature map`);
        return { tensor: v.tensor, rank: v.rank, shape: this.shapes.get(v.tensor) };
    }
    /** A 4-D input, possibly with zero padding from a Pad node still to be absorbed. */
    spatialIn(info, i) {
        const v = this.value(info, i);
        if (v.kind === 'padded')
            return { tensor: v.tensor, rank: 4, shape: this.shapes.get(v.tensor), extra: v.pads };
        const ref = this.tensorIn(info, i);
        need(ref.rank === 4, info, `${info.op} needs a 4-D input [N,C,H,W], '${info.inputs[i]}' is 2-D`);
        return { ...ref, extra: noPads };
    }
    constIn(info, i, what) {
        const v = this.value(info, i);
        need(v.kind === 'const', info, `the ${what} (input ${i + 1}, '${info.inputs[i]}') must be a constant (initializer or Constant), it is ${describe(v)}`);
        return v.constant;
    }
    /** Whether optional input i is given. */
    hasInput(info, i) {
        return Boolean(info.inputs[i]);
    }
    data(c, info) {
        if (c.data === undefined) {
            const proto = c.proto;
            c.data = proto ? atNode(info, () => this.decodeTensor(proto, c.name)) : null;
        }
        return c.data ?? undefined;
    }
    /** Float data of a constant, or undefined in a shape-only model. */
    floats(c, info, what) {
        const d = this.data(c, info);
        if (d === undefined)
            return undefined;
        need(d.floats, info, `the ${what} '${c.name}' must be floating point`);
        return d.floats;
    }
    /** Integer data of a constant that the conversion needs (shapes, indices, bounds). */
    ints(c, info, what) {
        const d = this.data(c, info);
        need(d !== undefined, info, `the ${what} '${c.name}' has no data (a shape-only model?)`);
        if (d.ints)
            return d.ints;
        const f = Array.from(d.floats ?? []);
        need(f.every(Number.isInteger), info, `the ${what} '${c.name}' must be integers`);
        return f;
    }
    intsIn(info, i, what) {
        return this.ints(this.constIn(info, i, what), info, what);
    }
    scalarIn(info, i, what) {
        const c = this.constIn(info, i, what);
        need(product(c.dims) === 1, info, `the ${what} '${c.name}' must be a scalar, it has dims ${dimsText(c.dims)}`);
        const d = this.data(c, info);
        need(d !== undefined, info, `the ${what} '${c.name}' has no data (a shape-only model?)`);
        return d.floats ? d.floats[0] : d.ints[0];
    }
    /** Axes from an attribute (older opsets) or an input (newer ones). */
    axes(info, attrs, input) {
        if (this.hasInput(info, input))
            return this.intsIn(info, input, 'axes');
        return attrs.ints('axes');
    }
    /** A tensor's data (the same decoding for initializers and tensor attributes). */
    decodeTensor(t, name) {
        return decodeTensor(t, name, this.external);
    }
    // --- operators ------------------------------------------------------------------------------
    convertNode(info) {
        const folded = this.activationNodes.get(info);
        if (folded !== undefined) {
            const v = this.values.get(folded);
            if (v?.kind === 'tensor')
                this.defineView(info, 0, v.tensor, v.rank);
            return;
        }
        const domain = info.node.domain ?? '';
        if (!DEFAULT_DOMAINS.has(domain))
            fail(info, `unsupported operator '${domain}.${info.op}'`);
        const attrs = new Attrs(info);
        if (FOLDABLE.has(info.op) && foldConstants(this, info, attrs))
            return;
        const handler = handlers.get(info.op);
        if (handler === undefined)
            fail(info, `unsupported operator '${info.op}'`);
        if (writtenOutActivation(this, info))
            return;
        handler(this, info, attrs);
    }
}
//# sourceMappingURL=converter.js.map