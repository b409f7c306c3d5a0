/** The receipt files written beside input files (the SFTP channel), apart from the format interface. */
package vn.lienthong.connectors.files;
