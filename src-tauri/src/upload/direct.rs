//! Reading NetCDF-4 chunks without HDF5's filter pipeline. Through libnetcdf, HDF5 inflates every
//! chunk while holding the one process-wide lock, so an upload could never decompress on more than
//! one core. Here only the raw read (`H5Dread_chunk`) happens under the lock; inflating (libdeflate,
//! about twice as fast as zlib), unshuffling and byte swapping happen outside it, on as many
//! reader threads as there are cores.
//!
//! Only the plain cases are taken: chunked integer or float variables filtered by nothing but
//! shuffle and deflate, every chunk allocated, and the HDF5 dataset's rank and extent matching the
//! read. Anything else (netCDF-3, other filters, fletcher32, unwritten chunks, strings) answers
//! `None`/`Ok(false)` and the reader goes through libnetcdf as before.
#![allow(unsafe_code)] // FFI to HDF5; every block runs under the HDF5 lock.

use super::reader::copy_region;
use hdf5_sys::h5::hsize_t;
use hdf5_sys::h5i::hid_t;
use std::ffi::CString;
use std::path::Path;

#[cfg(ferry_direct_chunks)]
unsafe extern "C" {
    /// In HDF5 since 1.10.2; hdf5-sys does not declare it. 0 bytes: the chunk was never written.
    fn H5Dget_chunk_storage_size(dset_id: hid_t, offset: *const hsize_t, chunk_nbytes: *mut hsize_t) -> hdf5_sys::h5::herr_t;
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Filter {
    Deflate,
    /// Bytes of each element, grouped by byte position.
    Shuffle(usize),
}

/// An HDF5 file opened read-only beside libnetcdf's own handle (HDF5 shares the open file).
pub struct DirectFile {
    id: hid_t,
}

/// One variable whose chunks can be read raw.
pub struct DirectVar {
    id: hid_t,
    shape: Vec<u64>,
    chunk: Vec<u64>,
    item: usize,
    swap: bool,
    /// In pipeline order (applied when writing); decoded in reverse.
    filters: Vec<Filter>,
    /// Decoded chunks that reach past the last block read: the next block (the next Zarr chunk
    /// along time) starts in them, so a source chunk spanning several Zarr chunks is inflated once.
    kept: std::cell::RefCell<std::collections::VecDeque<(Vec<u64>, Vec<u8>)>>,
}

/// Bytes of decoded chunks one variable keeps for the next block (oldest dropped first).
const KEEP_BYTES: usize = 64 << 20;

/// Run HDF5 calls under the lock libnetcdf also takes: HDF5 is not thread-safe.
fn locked<T>(f: impl FnOnce() -> T) -> T {
    let _guard = netcdf_sys::libnetcdf_lock.lock();
    f()
}

impl DirectFile {
    pub fn open(path: &Path) -> Option<DirectFile> {
        if !cfg!(ferry_direct_chunks) {
            return None;
        }
        // Declined reads must stay quiet (HDF5 prints its error stack by default), on any thread.
        crate::scan::quiet::silence_hdf5_on_this_thread();
        let c = CString::new(path.to_str()?).ok()?;
        // SAFETY: a valid C string and HDF5's default property list, under the HDF5 lock.
        let id = locked(|| unsafe {
            if hdf5_sys::h5f::H5Fis_hdf5(c.as_ptr()) <= 0 {
                return -1;
            }
            hdf5_sys::h5f::H5Fopen(c.as_ptr(), hdf5_sys::h5f::H5F_ACC_RDONLY, hdf5_sys::h5p::H5P_DEFAULT)
        });
        (id >= 0).then_some(DirectFile { id })
    }

    /// Variable `name` (in `group`, root if `None`) if its chunks can be read raw as `item`-byte
    /// numbers of rank `rank`.
    pub fn var(&self, group: Option<&str>, name: &str, rank: usize, item: usize) -> Option<DirectVar> {
        if rank == 0 {
            return None;
        }
        let prefix = group.map(|g| format!("/{g}/")).unwrap_or_else(|| "/".to_string());
        // A variable named like a dimension it does not span is stored under this name by
        // netCDF-4; the plain name then holds the dimension's empty placeholder.
        let hidden = CString::new(format!("{prefix}_nc4_non_coord_{name}")).ok()?;
        let plain = CString::new(format!("{prefix}{name}")).ok()?;
        locked(|| {
            // SAFETY: HDF5 calls on ids this function opened and closes, under the HDF5 lock.
            unsafe {
                use hdf5_sys::{h5d, h5p, h5s, h5t};
                let path = if hdf5_sys::h5l::H5Lexists(self.id, hidden.as_ptr(), h5p::H5P_DEFAULT) > 0 { &hidden } else { &plain };
                if hdf5_sys::h5l::H5Lexists(self.id, path.as_ptr(), h5p::H5P_DEFAULT) <= 0 {
                    return None;
                }
                let id = h5d::H5Dopen2(self.id, path.as_ptr(), h5p::H5P_DEFAULT);
                if id < 0 {
                    return None;
                }
                let var = (|| {
                    let ty = h5d::H5Dget_type(id);
                    if ty < 0 {
                        return None;
                    }
                    let class = h5t::H5Tget_class(ty);
                    let order = h5t::H5Tget_order(ty);
                    let size = h5t::H5Tget_size(ty);
                    h5t::H5Tclose(ty);
                    if !matches!(class, h5t::H5T_class_t::H5T_INTEGER | h5t::H5T_class_t::H5T_FLOAT) || size != item {
                        return None;
                    }
                    let little = match order {
                        h5t::H5T_order_t::H5T_ORDER_LE => true,
                        h5t::H5T_order_t::H5T_ORDER_BE => false,
                        _ if item == 1 => cfg!(target_endian = "little"),
                        _ => return None,
                    };
                    let space = h5d::H5Dget_space(id);
                    if space < 0 {
                        return None;
                    }
                    let mut shape = vec![0 as hsize_t; rank];
                    let ok = h5s::H5Sget_simple_extent_ndims(space) == rank as i32 && h5s::H5Sget_simple_extent_dims(space, shape.as_mut_ptr(), std::ptr::null_mut()) == rank as i32;
                    h5s::H5Sclose(space);
                    if !ok {
                        return None;
                    }
                    let plist = h5d::H5Dget_create_plist(id);
                    if plist < 0 {
                        return None;
                    }
                    let described = describe(plist, rank);
                    h5p::H5Pclose(plist);
                    let (chunk, filters) = described?;
                    Some(DirectVar { id, shape, chunk, item, swap: little != cfg!(target_endian = "little") && item > 1, filters, kept: Default::default() })
                })();
                if var.is_none() {
                    h5d::H5Dclose(id);
                }
                var
            }
        })
    }
}

/// The chunk shape and filters of a dataset creation property list, if they are ones we decode.
///
/// # Safety
/// `plist` must be a valid dataset creation property list; call under the HDF5 lock.
unsafe fn describe(plist: hid_t, rank: usize) -> Option<(Vec<u64>, Vec<Filter>)> {
    use hdf5_sys::{h5d, h5p, h5z};
    // SAFETY: as the caller promised; buffers are sized as HDF5 is told.
    unsafe {
        if h5p::H5Pget_layout(plist) != h5d::H5D_layout_t::H5D_CHUNKED {
            return None;
        }
        let mut chunk = vec![0 as hsize_t; rank];
        if h5p::H5Pget_chunk(plist, rank as i32, chunk.as_mut_ptr()) != rank as i32 || chunk.contains(&0) {
            return None;
        }
        let mut filters = Vec::new();
        for i in 0..h5p::H5Pget_nfilters(plist).max(0) {
            let mut flags = 0u32;
            let mut n: usize = 4;
            let mut cd = [0u32; 4];
            let mut config = 0u32;
            let id = h5p::H5Pget_filter2(plist, i as u32, &mut flags, &mut n, cd.as_mut_ptr(), 0, std::ptr::null_mut(), &mut config);
            filters.push(match id {
                h5z::H5Z_FILTER_DEFLATE => Filter::Deflate,
                h5z::H5Z_FILTER_SHUFFLE if n >= 1 => Filter::Shuffle(cd[0] as usize),
                _ => return None,
            });
        }
        // The pipelines netCDF-4 writes: deflate, shuffle, or shuffle then deflate.
        matches!(filters.as_slice(), [] | [Filter::Deflate] | [Filter::Shuffle(_)] | [Filter::Shuffle(_), Filter::Deflate]).then_some((chunk, filters))
    }
}

impl Drop for DirectFile {
    fn drop(&mut self) {
        // SAFETY: our own id, closed once, under the lock.
        locked(|| unsafe { hdf5_sys::h5f::H5Fclose(self.id) });
    }
}

impl Drop for DirectVar {
    fn drop(&mut self) {
        // SAFETY: our own id, closed once, under the lock.
        locked(|| unsafe { hdf5_sys::h5d::H5Dclose(self.id) });
    }
}

impl DirectVar {
    /// Read the block at `st` of shape `ct` into `out` (C order, native byte order). `Ok(false)`:
    /// not readable this way (a chunk never written, a block past the variable's extent), read
    /// it through libnetcdf instead. `Err`: a chunk is corrupt.
    pub fn read_into(&self, st: &[u64], ct: &[u64], out: &mut [u8]) -> Result<bool, String> {
        let n = self.shape.len();
        if st.len() != n || ct.len() != n || (0..n).any(|d| st[d] + ct[d] > self.shape[d]) || out.len() != ct.iter().product::<u64>() as usize * self.item {
            return Ok(false);
        }
        if ct.contains(&0) {
            return Ok(true);
        }
        let first: Vec<u64> = (0..n).map(|d| st[d] / self.chunk[d]).collect();
        let last: Vec<u64> = (0..n).map(|d| (st[d] + ct[d] - 1) / self.chunk[d]).collect();
        let mut at = first.clone();
        let chunk_len = self.chunk.iter().product::<u64>() as usize * self.item;
        let mut scratch = Vec::new();
        let mut inflater = libdeflater::Decompressor::new();
        loop {
            let origin: Vec<u64> = (0..n).map(|d| at[d] * self.chunk[d]).collect();
            // A chunk wholly inside the block whose rows are whole rows of the block lands
            // contiguously in `out`: decode it there, without a copy.
            let inside = (0..n).all(|d| origin[d] >= st[d] && origin[d] + self.chunk[d] <= st[d] + ct[d]);
            let rows_whole = (1..n).all(|d| self.chunk[d] == ct[d]);
            if inside && rows_whole {
                let Some((mask, raw)) = self.read_raw_chunk(&origin) else { return Ok(false) };
                let row: usize = ct[1..].iter().product::<u64>() as usize * self.item;
                let from = (origin[0] - st[0]) as usize * row;
                self.decode(&raw, mask, &mut out[from..from + chunk_len], &mut inflater, &mut scratch)?;
            } else {
                let mut kept = self.kept.borrow_mut();
                let hit = kept.iter().position(|(o, _)| *o == origin).and_then(|i| kept.remove(i));
                let whole = match hit {
                    Some((_, whole)) => whole,
                    None => {
                        let Some((mask, raw)) = self.read_raw_chunk(&origin) else { return Ok(false) };
                        let mut whole = vec![0u8; chunk_len];
                        self.decode(&raw, mask, &mut whole, &mut inflater, &mut scratch)?;
                        whole
                    }
                };
                self.place(&whole, &origin, st, ct, out);
                if (0..n).any(|d| (origin[d] + self.chunk[d]).min(self.shape[d]) > st[d] + ct[d]) && chunk_len <= KEEP_BYTES {
                    kept.push_back((origin, whole));
                    while kept.iter().map(|(_, w)| w.len()).sum::<usize>() > KEEP_BYTES {
                        kept.pop_front();
                    }
                }
            }
            // Next chunk position, last dimension fastest.
            let mut d = n;
            loop {
                if d == 0 {
                    return Ok(true);
                }
                d -= 1;
                if at[d] < last[d] {
                    at[d] += 1;
                    break;
                }
                at[d] = first[d];
            }
        }
    }

    /// The stored bytes of the chunk at `origin` and its filter mask; `None` if never written.
    #[cfg(not(ferry_direct_chunks))]
    fn read_raw_chunk(&self, _origin: &[u64]) -> Option<(u32, Vec<u8>)> {
        None
    }

    /// The stored bytes of the chunk at `origin` and its filter mask; `None` if never written.
    #[cfg(ferry_direct_chunks)]
    fn read_raw_chunk(&self, origin: &[u64]) -> Option<(u32, Vec<u8>)> {
        locked(|| {
            // SAFETY: our open dataset id; `origin` has the dataset's rank; the buffer has the
            // size HDF5 reported for this chunk.
            unsafe {
                let mut size: hsize_t = 0;
                // By coordinate: a lookup in the chunk index (H5Dget_chunk_info_by_coord walks
                // every chunk in HDF5 1.10, which made files of many small chunks 5x slower).
                if H5Dget_chunk_storage_size(self.id, origin.as_ptr(), &mut size) < 0 || size == 0 {
                    return None;
                }
                let mut mask = 0u32;
                let mut buf = vec![0u8; size as usize];
                if hdf5_sys::h5d::H5Dread_chunk(self.id, hdf5_sys::h5p::H5P_DEFAULT, origin.as_ptr(), &mut mask, buf.as_mut_ptr().cast()) < 0 {
                    return None;
                }
                Some((mask, buf))
            }
        })
    }

    /// Undo the filters (those not skipped for this chunk, per `mask`) into `out`, a whole chunk.
    fn decode(&self, raw: &[u8], mask: u32, out: &mut [u8], inflater: &mut libdeflater::Decompressor, scratch: &mut Vec<u8>) -> Result<(), String> {
        let active: Vec<Filter> = self.filters.iter().enumerate().filter(|(i, _)| mask & (1 << i) == 0).map(|(_, f)| *f).collect();
        let mut inflate = |src: &[u8], dst: &mut [u8]| -> Result<(), String> {
            let got = inflater.zlib_decompress(src, dst).map_err(|e| format!("inflate: {e}"))?;
            if got != dst.len() {
                return Err(format!("a chunk inflated to {got} bytes instead of {}", dst.len()));
            }
            Ok(())
        };
        let exact = |src: &[u8], dst: &[u8]| if src.len() == dst.len() { Ok(()) } else { Err(format!("a chunk holds {} bytes instead of {}", src.len(), dst.len())) };
        match active.as_slice() {
            [] => {
                exact(raw, out)?;
                out.copy_from_slice(raw);
            }
            [Filter::Deflate] => inflate(raw, out)?,
            [Filter::Shuffle(size)] => {
                exact(raw, out)?;
                unshuffle(raw, out, *size);
            }
            [Filter::Shuffle(size), Filter::Deflate] => {
                scratch.resize(out.len(), 0);
                inflate(raw, scratch)?;
                unshuffle(scratch, out, *size);
            }
            _ => return Err("an unexpected filter pipeline".into()),
        }
        if self.swap {
            for el in out.chunks_exact_mut(self.item) {
                el.reverse();
            }
        }
        Ok(())
    }

    /// Copy the part of a decoded chunk (at `origin`) that falls in the block (`st`, `ct`).
    fn place(&self, chunk: &[u8], origin: &[u64], st: &[u64], ct: &[u64], out: &mut [u8]) {
        let n = self.shape.len();
        let lo: Vec<u64> = (0..n).map(|d| origin[d].max(st[d])).collect();
        let count: Vec<u64> = (0..n).map(|d| (origin[d] + self.chunk[d]).min(st[d] + ct[d]) - lo[d]).collect();
        let in_chunk: Vec<u64> = (0..n).map(|d| lo[d] - origin[d]).collect();
        let in_block: Vec<u64> = (0..n).map(|d| lo[d] - st[d]).collect();
        copy_region(chunk, &self.chunk, &in_chunk, out, ct, &in_block, &count, self.item);
    }
}

/// HDF5's shuffle stores byte 0 of every element, then byte 1, …; put each element back together.
fn unshuffle(src: &[u8], out: &mut [u8], size: usize) {
    if size <= 1 || !src.len().is_multiple_of(size) {
        out.copy_from_slice(src);
        return;
    }
    let count = src.len() / size;
    for b in 0..size {
        let plane = &src[b * count..(b + 1) * count];
        for (e, &byte) in plane.iter().enumerate() {
            out[e * size + b] = byte;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{unshuffle, DirectFile};

    /// A small deterministic generator: the slabs differ from run to run of the loop, not of the test.
    struct Lcg(u64);
    impl Lcg {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (self.0 >> 33) % n.max(1)
        }
    }

    /// Every block read raw equals what libnetcdf reads through HDF5's filters, for the layouts
    /// netCDF-4 writes: partial edge chunks, shuffle, big-endian, a group, a variable named like a
    /// dimension it does not span; unwritten chunks and contiguous variables are declined.
    #[cfg(ferry_direct_chunks)]
    #[test]
    fn raw_reads_equal_libnetcdf() {
        crate::scan::quiet::silence_hdf5_on_this_thread();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("layouts.nc");
        {
            let mut f = netcdf::create(&path).unwrap();
            f.add_unlimited_dimension("time").unwrap();
            f.add_dimension("y", 7).unwrap();
            f.add_dimension("x", 9).unwrap();
            f.add_dimension("n", 9).unwrap();
            let vals: Vec<f32> = (0..5 * 7 * 9).map(|i| i as f32 * 0.25 - 3.0).collect();
            let mut v = f.add_variable::<f32>("tiled", &["time", "y", "x"]).unwrap();
            v.set_chunking(&[2, 3, 4]).unwrap();
            v.set_compression(4, true).unwrap();
            let all: (&[usize], &[usize]) = (&[0, 0, 0], &[5, 7, 9]);
            v.put_values(&vals, all).unwrap();
            let ints: Vec<i16> = (0..5 * 7 * 9).map(|i| (i * 37 % 2000) as i16 - 1000).collect();
            let mut v = f.add_variable::<i16>("big", &["time", "y", "x"]).unwrap();
            v.set_chunking(&[1, 7, 9]).unwrap();
            v.set_compression(1, false).unwrap();
            v.set_endianness(netcdf::Endianness::Big).unwrap();
            v.put_values(&ints, all).unwrap();
            let mut v = f.add_variable::<f64>("x", &["n"]).unwrap();
            v.set_chunking(&[4]).unwrap();
            v.set_compression(2, true).unwrap();
            v.put_values(&(0..9).map(|i| i as f64 * 1.5).collect::<Vec<_>>(), ..).unwrap();
            let mut v = f.add_variable::<u8>("sparse", &["y", "x"]).unwrap();
            v.set_chunking(&[3, 3]).unwrap();
            v.set_compression(1, true).unwrap();
            v.put_values(&[7u8; 9], (&[0usize, 0][..], &[3usize, 3][..])).unwrap();
            f.add_variable::<f64>("plain", &["y", "x"]).unwrap().put_values(&[1.0f64; 63], ..).unwrap();
            let mut g = f.add_group("inner").unwrap();
            let mut v = g.add_variable::<i32>("deep", &["y", "x"]).unwrap();
            v.set_chunking(&[4, 5]).unwrap();
            v.set_compression(3, true).unwrap();
            v.put_values(&(0..63).collect::<Vec<i32>>(), ..).unwrap();
        }
        let nc = netcdf::open(&path).unwrap();
        let h5 = DirectFile::open(&path).expect("a netCDF-4 file opens in HDF5");
        let mut rng = Lcg(7);
        let cases: [(Option<&str>, &str, &[u64], usize); 4] =
            [(None, "tiled", &[5, 7, 9], 4), (None, "big", &[5, 7, 9], 2), (None, "x", &[9], 8), (Some("inner"), "deep", &[7, 9], 4)];
        let inner = nc.group("inner").unwrap().unwrap();
        for (group, name, shape, item) in cases {
            let var = h5.var(group, name, shape.len(), item).unwrap_or_else(|| panic!("{name} is readable raw"));
            let ncvar = match group {
                Some(_) => inner.variable(name).unwrap(),
                None => nc.variable(name).unwrap(),
            };
            for _ in 0..60 {
                let st: Vec<u64> = shape.iter().map(|&n| rng.below(n)).collect();
                let ct: Vec<u64> = shape.iter().zip(&st).map(|(&n, &s)| 1 + rng.below(n - s)).collect();
                let mut got = vec![0u8; ct.iter().product::<u64>() as usize * item];
                assert_eq!(var.read_into(&st, &ct, &mut got), Ok(true), "{name} {st:?} {ct:?}");
                let (s, c): (Vec<usize>, Vec<usize>) = (st.iter().map(|&x| x as usize).collect(), ct.iter().map(|&x| x as usize).collect());
                let want = ncvar.get_raw_values((s.as_slice(), c.as_slice())).unwrap();
                assert_eq!(got, want, "{name} at {st:?} count {ct:?}");
            }
            // Past the extent: declined, not guessed.
            let mut buf = vec![0u8; item];
            let past: Vec<u64> = shape.to_vec();
            assert_eq!(var.read_into(&past, &vec![1; shape.len()], &mut buf), Ok(false));
        }
        let sparse = h5.var(None, "sparse", 2, 1).expect("sparse is chunked and deflated");
        let mut buf = vec![0u8; 9];
        assert_eq!(sparse.read_into(&[0, 0], &[3, 3], &mut buf), Ok(true));
        assert_eq!(buf, vec![7u8; 9]);
        let mut buf = vec![0u8; 63];
        assert_eq!(sparse.read_into(&[0, 0], &[7, 9], &mut buf), Ok(false), "unwritten chunks hold the fill value: libnetcdf's job");
        assert!(h5.var(None, "plain", 2, 8).is_none(), "contiguous");
        assert!(h5.var(None, "tiled", 3, 8).is_none(), "another element size");
    }

    #[test]
    fn unshuffle_regroups_bytes() {
        // Two 4-byte elements 0x01020304 and 0x05060708, shuffled by byte position.
        let src = [1, 5, 2, 6, 3, 7, 4, 8];
        let mut out = [0u8; 8];
        unshuffle(&src, &mut out, 4);
        assert_eq!(out, [1, 2, 3, 4, 5, 6, 7, 8]);
    }
}
