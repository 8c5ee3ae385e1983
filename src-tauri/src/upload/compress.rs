//! zstd compression of one chunk whose pieces arrive one after another from a reader.
//!
//! zstd's buffered streaming copies its input into a ring of one window and then matches across
//! the ring's seam ("extDict" mode): on this project's benchmark data that took 0.58 s per 100 MB
//! chunk against 0.42 s for one-shot compression. Here the pieces are appended to one buffer the
//! size of the chunk that never moves, and zstd reads it in place (`ZSTD_c_stableInBuffer`), as
//! one-shot compression would. The raw chunk is still never resident whole: pages more than a
//! window behind what zstd has consumed are handed back to the OS as it goes (unix).

#![allow(unsafe_code)] // FFI to libzstd's experimental API, which zstd-safe does not expose.

use std::sync::mpsc::Receiver;

use zstd_sys as z;

use crate::error::{Code, Error, Result};

/// Compress the pieces (in order, `total` bytes together) into one zstd frame that records its
/// content size and has no checksum, as a one-shot `ZSTD_compress` would.
pub fn compress_stream(pieces: Receiver<Vec<u8>>, level: i32, total: usize) -> Result<Vec<u8>> {
    let mut c = Frame::new(level, total)?;
    for p in pieces {
        c.push(&p)?;
    }
    c.finish()
}

struct Frame {
    cctx: *mut z::ZSTD_CCtx,
    /// The whole chunk's address space; only pages near zstd's position are resident.
    input: Vec<u8>,
    /// The chunk's size.
    total: usize,
    /// How much of `input` zstd has consumed.
    pos: usize,
    /// Bytes behind `pos` that zstd may still read: its window plus two blocks of slack.
    keep: usize,
    /// Up to where pages have been released.
    released: usize,
    out: Vec<u8>,
}

// The context is used by one thread at a time only.
unsafe impl Send for Frame {}

fn check(code: usize) -> Result<usize> {
    // SAFETY: plain FFI on a value; the error name is a static C string.
    if unsafe { z::ZSTD_isError(code) } != 0 {
        let name = unsafe { std::ffi::CStr::from_ptr(z::ZSTD_getErrorName(code)) }.to_string_lossy().into_owned();
        return Err(Error::new(Code::Internal, format!("zstd compression failed: {name}"), "This is a bug in Ferry: please report it."));
    }
    Ok(code)
}

impl Frame {
    fn new(level: i32, total: usize) -> Result<Frame> {
        // SAFETY: a fresh context, freed in Drop; the parameters are plain integers.
        let cctx = unsafe { z::ZSTD_createCCtx() };
        if cctx.is_null() {
            return Err(Error::new(Code::Internal, "zstd could not allocate its context", "Free some memory and try again."));
        }
        let window = 1usize << unsafe { z::ZSTD_getCParams(level, total as u64, 0) }.windowLog;
        // Owned from here, so that an error below frees the context.
        let frame = Frame { cctx, input: Vec::with_capacity(total), total, pos: 0, keep: window + 2 * (128 << 10), released: 0, out: Vec::with_capacity(total / 2) };
        let set = |p: z::ZSTD_cParameter, v: i32| check(unsafe { z::ZSTD_CCtx_setParameter(cctx, p, v) });
        set(z::ZSTD_cParameter::ZSTD_c_compressionLevel, level)?;
        set(z::ZSTD_cParameter::ZSTD_c_contentSizeFlag, 1)?;
        set(z::ZSTD_cParameter::ZSTD_c_checksumFlag, 0)?;
        // ZSTD_c_stableInBuffer: `input` never moves (its capacity is the whole chunk) and only grows.
        set(z::ZSTD_cParameter::ZSTD_c_experimentalParam9, 1)?;
        check(unsafe { z::ZSTD_CCtx_setPledgedSrcSize(cctx, total as u64) })?;
        Ok(frame)
    }

    fn push(&mut self, piece: &[u8]) -> Result<()> {
        if self.input.len() + piece.len() > self.total {
            return Err(Error::new(Code::Internal, "a chunk's pieces are longer than the chunk", "This is a bug in Ferry: please report it."));
        }
        // A MiB at a time, so that little of the piece is resident twice before zstd has read it.
        for part in piece.chunks(1 << 20) {
            self.input.extend_from_slice(part); // within capacity: no reallocation, the address holds
            while self.pos < self.input.len() {
                self.step(z::ZSTD_EndDirective::ZSTD_e_continue)?;
            }
            self.release();
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Vec<u8>> {
        if self.input.len() != self.total {
            return Err(Error::new(Code::Internal, "a chunk's pieces are shorter than the chunk", "This is a bug in Ferry: please report it."));
        }
        while self.step(z::ZSTD_EndDirective::ZSTD_e_end)? != 0 {}
        Ok(std::mem::take(&mut self.out))
    }

    /// One call of `ZSTD_compressStream2`; returns what it has left to flush.
    fn step(&mut self, op: z::ZSTD_EndDirective) -> Result<usize> {
        let room = unsafe { z::ZSTD_CStreamOutSize() };
        if self.out.capacity() - self.out.len() < room {
            self.out.reserve(room.max(self.out.capacity() / 4));
        }
        let mut input = z::ZSTD_inBuffer { src: self.input.as_ptr().cast(), size: self.input.len(), pos: self.pos };
        let mut output = z::ZSTD_outBuffer { dst: self.out.as_mut_ptr().cast(), size: self.out.capacity(), pos: self.out.len() };
        // SAFETY: `input` points at initialised bytes that stay put and unmodified until the frame
        // ends; `output` at the vector's spare capacity, whose written prefix we then adopt.
        let left = check(unsafe { z::ZSTD_compressStream2(self.cctx, &mut output, &mut input, op) })?;
        unsafe { self.out.set_len(output.pos) };
        self.pos = input.pos;
        Ok(left)
    }

    /// Give the pages zstd can no longer reach back to the OS, so that resident memory stays about
    /// a window plus a MiB or two however large the chunk.
    #[cfg(unix)]
    fn release(&mut self) {
        const PAGE: usize = 4096;
        let base = self.input.as_ptr() as usize;
        let start = (base + self.released).next_multiple_of(PAGE);
        let end = (base + self.pos.saturating_sub(self.keep)) / PAGE * PAGE;
        if end > start + (1 << 20) {
            // SAFETY: a page-aligned range inside our own allocation that neither we nor zstd read
            // again (it is behind zstd's window); MADV_DONTNEED only lets those pages read as zero.
            unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED) };
            self.released = end - base;
        }
    }

    #[cfg(not(unix))]
    fn release(&mut self) {}
}

impl Drop for Frame {
    fn drop(&mut self) {
        // SAFETY: created in `new`, freed once.
        unsafe { z::ZSTD_freeCCtx(self.cctx) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame_of(data: &[u8], piece: usize, level: i32) -> Vec<u8> {
        let (tx, rx) = std::sync::mpsc::sync_channel(2);
        let owned = data.to_vec();
        let feed = std::thread::spawn(move || {
            for p in owned.chunks(piece.max(1)) {
                tx.send(p.to_vec()).unwrap();
            }
        });
        let out = compress_stream(rx, level, data.len()).unwrap();
        feed.join().unwrap();
        out
    }

    #[test]
    fn frames_decode_to_their_input_and_record_its_size() {
        // Larger than a window (2 MiB at level 3) and than the release step, so pages are released
        // while zstd still reads behind its position; uneven pieces; a repetitive and a noisy half.
        let mut data: Vec<u8> = (0..12u32 << 20).map(|i| (i / 7 % 251) as u8).collect();
        let mut x = 0x2545_f491_u32;
        for b in data.iter_mut().skip(6 << 20) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            *b = b.wrapping_add((x & 7) as u8);
        }
        for (piece, level) in [(999_983, 3), (4 << 20, 3), (1 << 20, 1), (3 << 20, 9)] {
            let f = frame_of(&data, piece, level);
            assert_eq!(zstd::zstd_safe::get_frame_content_size(&f).unwrap(), Some(data.len() as u64));
            assert_eq!(zstd::bulk::decompress(&f, data.len()).unwrap(), data, "piece {piece}, level {level}");
        }
        for n in [0usize, 1, 100] {
            let small = vec![7u8; n];
            assert_eq!(zstd::bulk::decompress(&frame_of(&small, 10, 3), n.max(1)).unwrap(), small);
        }
    }

    #[test]
    fn pieces_that_do_not_add_up_fail() {
        let (tx, rx) = std::sync::mpsc::sync_channel(2);
        tx.send(vec![1u8; 10]).unwrap();
        drop(tx);
        assert!(compress_stream(rx, 3, 20).is_err(), "short");
        let (tx, rx) = std::sync::mpsc::sync_channel(2);
        tx.send(vec![1u8; 30]).unwrap();
        drop(tx);
        assert!(compress_stream(rx, 3, 20).is_err(), "long");
    }
}
