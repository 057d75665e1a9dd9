/* SPDX-License-Identifier: MIT */
/* Entry of the bare-metal aarch64 guests: stack, then main(), then
 * semihosting SYS_EXIT with main's return value as the exit status. */
    .section .text.start, "ax"
    .global _start
_start:
    ldr     x0, =__stack_top
    mov     sp, x0
    bl      main
    /* SYS_EXIT (0x18), AArch64 form: x1 -> { reason, subcode } */
    adr     x1, exit_block
    mov     w2, #0x0026
    movk    w2, #0x2, lsl #16          /* ADP_Stopped_ApplicationExit */
    str     x2, [x1]
    str     x0, [x1, #8]
    mov     w0, #0x18
    hlt     #0xf000
1:  wfi
    b       1b

    .balign 8
exit_block:
    .quad   0, 0
