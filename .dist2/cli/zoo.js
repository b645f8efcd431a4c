// `memsched zoo`: the built-in networks.
import { zoo } from '../frontends/index.js';
import { renderTable } from '../report/table.js';
export const zooCommand = {
    name: 'zoo',
    usage: '  zoo                 list the built-in networks (use them as zoo:NAME)',
    flags: {},
    run() {
        const rows = zoo.map((z) => [`zoo:${z.name}`, z.description]);
        console.log(renderTable(['network', 'description'], rows, ['left', 'left']));
        return 0;
    },
};
//# sourceMappingURL=zoo.js.map