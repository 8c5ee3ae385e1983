//! HDF5 prints an error stack for every failed lookup (an absent optional attribute is one) on
//! threads other than the one that initialised libnetcdf. Those lines are noise: silence them.

#[allow(unsafe_code)]
pub fn silence_hdf5_on_this_thread() {
    let _guard = netcdf_sys::libnetcdf_lock.lock();
    // SAFETY: a null handler only turns off automatic printing for this thread's default error
    // stack; it is called under the same lock as every other libnetcdf/HDF5 call.
    unsafe {
        hdf5_sys::h5e::H5Eset_auto2(hdf5_sys::h5e::H5E_DEFAULT, None, std::ptr::null_mut());
    }
}
