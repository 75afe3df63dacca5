import sharp from 'sharp';
import { twoToneJpeg } from './test/helpers/media-files.js';
const j = await twoToneJpeg(600, 400, { orientation: 6, gps: true });
const m = await sharp(j).metadata();
console.log(m.width, m.height, m.orientation, !!m.exif);
