"""Checks the synthetic world's story with a real (small) network. Not part of ctest:
it takes about 15 minutes of CPU. docs/world.md reports its output.

A small U-Net (about 0.12M parameters) learns per-pixel classes (background or one of
the 8 shapes) on a source domain; it is scored (mIoU over classes, and foreground IoU)
on held-out source images and zero-shot on every target; then a copy is fine-tuned on
40 labelled target images (10% of the 400 test images' count) and scored again.

    B=build/bin/distillery-cli; R=/tmp/world-check
    $B world generate --domain studio --count 800 --seed 1 --size 64 --out $R/studio-train
    for d in studio workshop dusk fog clutter wild; do
      $B world generate --domain $d --count 400 --seed 2 --size 64 --out $R/$d-test
      $B world generate --domain $d --count 40  --seed 3 --size 64 --out $R/$d-few
    done
    /usr/bin/python3 tests/engine/data/world/shift_check.py $R studio 15

Needs only torch and numpy (reads the PNGs and COCO RLE itself).
"""
import json, sys, zlib, struct, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
K = 8


def read_png(path):
    data = open(path, 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n'
    pos, idat, w, h = 8, b'', 0, 0
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            w, h, depth, colour = struct.unpack('>IIBB', body[:10])
            assert depth == 8 and colour == 2, 'RGB8 only'
        elif kind == b'IDAT':
            idat += body
        pos += 12 + n
    raw = np.frombuffer(zlib.decompress(idat), np.uint8).reshape(h, 1 + 3 * w)
    out = np.zeros((h, 3 * w), np.int32)
    prev = np.zeros(3 * w, np.int32)
    for y in range(h):
        f, row = raw[y, 0], raw[y, 1:].astype(np.int32)
        if f == 0:
            cur = row
        elif f == 1:  # SUB: cumulative per channel
            cur = row.reshape(w, 3).cumsum(0).reshape(-1) % 256
        elif f == 2:
            cur = (row + prev) % 256
        else:
            cur = np.zeros_like(row)
            for x in range(3 * w):
                a = cur[x - 3] if x >= 3 else 0
                b = prev[x]
                c = prev[x - 3] if x >= 3 else 0
                if f == 3:
                    pred = (a + b) // 2
                else:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                cur[x] = (row[x] + pred) % 256
        out[y] = cur
        prev = cur
    return out.reshape(h, w, 3).astype(np.uint8)  # RGB as stored


def rle_decode(s, h, w):
    counts, p = [], 0
    while p < len(s):
        x, k, more = 0, 0, True
        while more:
            c = ord(s[p]) - 48
            x |= (c & 0x1f) << (5 * k)
            more = bool(c & 0x20)
            p += 1
            k += 1
            if not more and (c & 0x10):
                x |= -1 << (5 * k)
        if len(counts) > 2:
            x += counts[-2]
        counts.append(x)
    flat = np.zeros(h * w, np.uint8)
    pos, v = 0, 0
    for c in counts:
        flat[pos:pos + c] = v
        pos += c
        v ^= 1
    return flat.reshape(w, h).T


def load(folder, limit=None):
    doc = json.load(open(folder + '/instances.json'))
    images = doc['images'][:limit] if limit else doc['images']
    ids = {im['id']: i for i, im in enumerate(images)}
    h, w = images[0]['height'], images[0]['width']
    x = np.zeros((len(images), 3, h, w), np.float32)
    y = np.zeros((len(images), h, w), np.int64)
    for i, im in enumerate(images):
        x[i] = read_png(folder + '/images/' + im['file_name']).transpose(2, 0, 1) / 255.0
    for a in doc['annotations']:
        if a['image_id'] in ids:
            m = rle_decode(a['segmentation']['counts'], h, w)
            y[ids[a['image_id']]][m > 0] = a['category_id']
    return torch.from_numpy(x), torch.from_numpy(y)


class Segmenter(nn.Module):
    def __init__(self, c=16):
        super().__init__()
        def block(i, o):
            return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(),
                                 nn.Conv2d(o, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU())
        self.e1, self.e2, self.e3 = block(3, c), block(c, 2 * c), block(2 * c, 4 * c)
        self.d2, self.d1 = block(6 * c, 2 * c), block(3 * c, c)
        self.head = nn.Conv2d(c, K + 1, 1)

    def forward(self, x):
        a = self.e1(x)
        b = self.e2(F.max_pool2d(a, 2))
        c = self.e3(F.max_pool2d(b, 2))
        u = self.d2(torch.cat([F.interpolate(c, scale_factor=2), b], 1))
        return self.head(self.d1(torch.cat([F.interpolate(u, scale_factor=2), a], 1)))


def train(model, x, y, epochs, lr=2e-3, batch=32):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    for e in range(epochs):
        perm = torch.randperm(len(x))
        for i in range(0, len(x), batch):
            j = perm[i:i + batch]
            loss = F.cross_entropy(model(x[j]), y[j])
            opt.zero_grad()
            loss.backward()
            opt.step()


@torch.no_grad()
def miou(model, x, y):
    model.eval()
    pred = torch.cat([model(x[i:i + 64]).argmax(1) for i in range(0, len(x), 64)])
    ious = []
    for k in range(1, K + 1):
        inter = ((pred == k) & (y == k)).sum().item()
        union = ((pred == k) | (y == k)).sum().item()
        if union:
            ious.append(inter / union)
    fg_inter = ((pred > 0) & (y > 0)).sum().item()
    fg_union = ((pred > 0) | (y > 0)).sum().item()
    return float(np.mean(ious)), fg_inter / max(fg_union, 1)


def main():
    root, source = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else 'studio')
    targets = [source] + [t for t in ['workshop', 'dusk', 'fog', 'clutter', 'wild'] if t != source]
    t0 = time.time()
    xs, ys = load(f'{root}/{source}-train', 800)
    model = Segmenter()
    train(model, xs, ys, epochs=int(sys.argv[3]) if len(sys.argv) > 3 else 8)
    print(f'trained on {source} ({len(xs)} images) in {time.time() - t0:.0f}s; '
          f'{sum(p.numel() for p in model.parameters())} params')
    print(f'{"domain":10s} {"zero-shot mIoU":>15s} {"fg IoU":>8s} {"+few mIoU":>10s} {"fg IoU":>8s}')
    state = {k: v.clone() for k, v in model.state_dict().items()}
    for t in targets:
        xt, yt = load(f'{root}/{t}-test')
        zs = miou(model, xt, yt)
        few = (float('nan'), float('nan'))
        if t != source:
            xf, yf = load(f'{root}/{t}-few')
            tuned = Segmenter()
            tuned.load_state_dict(state)
            train(tuned, xf, yf, epochs=25, lr=1e-3, batch=8)
            few = miou(tuned, xt, yt)
        print(f'{t:10s} {zs[0]:15.3f} {zs[1]:8.3f} {few[0]:10.3f} {few[1]:8.3f}', flush=True)


if __name__ == '__main__':
    main()
