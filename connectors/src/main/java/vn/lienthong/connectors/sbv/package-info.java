/** sbv-freeze-xml: freeze, delay and release instructions and execution reports with the State Bank (SBV). */
package vn.lienthong.connectors.sbv;
