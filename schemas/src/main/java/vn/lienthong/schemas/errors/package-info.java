/** The stable error codes and the error record every check of an input reports, below all other packages. */
package vn.lienthong.schemas.errors;
