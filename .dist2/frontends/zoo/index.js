// The built-in networks, loaded as `zoo:NAME`. They are shape-only (no weights): enough to inspect and
// schedule, not to run.
import { InputError } from '../../ir/errors.js';
import { alexnet } from './alexnet.js';
import { mobilenet_v1, mobilenet_v2 } from './mobilenet.js';
import { resnet18, resnet50, resnet101, resnet152 } from './resnet.js';
import { squeezenet1_1 } from './squeezenet.js';
import { traffic } from './traffic.js';
import { vdsr } from './vdsr.js';
import { vgg16, vgg19 } from './vgg.js';
export const zoo = [
    {
        name: 'traffic',
        description: "Peemen's speed-sign detector, grey 720x1280 (Caffe fixture)",
        build: traffic,
    },
    { name: 'vdsr', description: 'VDSR super-resolution, 20 conv 3x3 + global residual, 256x256', build: vdsr },
    { name: 'vgg16', description: 'VGG-16 (torchvision), 224x224', build: vgg16 },
    { name: 'vgg19', description: 'VGG-19 (torchvision), 224x224', build: vgg19 },
    { name: 'resnet18', description: 'ResNet-18 (torchvision), 224x224', build: resnet18 },
    { name: 'resnet50', description: 'ResNet-50 (torchvision v1.5), 224x224', build: resnet50 },
    { name: 'resnet101', description: 'ResNet-101 (torchvision v1.5), 224x224', build: resnet101 },
    { name: 'resnet152', description: 'ResNet-152 (torchvision v1.5), 224x224', build: resnet152 },
    { name: 'mobilenet_v1', description: 'MobileNet V1 (Caffe, shicai), 224x224', build: mobilenet_v1 },
    { name: 'mobilenet_v2', description: 'MobileNet V2 (torchvision), 224x224', build: mobilenet_v2 },
    { name: 'alexnet', description: 'AlexNet (torchvision), 224x224', build: alexnet },
    { name: 'squeezenet1_1', description: 'SqueezeNet 1.1 (torchvision), 224x224', build: squeezenet1_1 },
];
/** Builds a zoo network by name; an unknown name is an InputError listing the known ones. */
export function zooNetwork(name) {
    const entry = zoo.find((e) => e.name === name);
    if (entry === undefined)
        throw new InputError(`unknown zoo network '${name}' (known: ${zoo.map((e) => e.name).join(', ')})`);
    return entry.build();
}
//# sourceMappingURL=index.js.map