// SPDX-License-Identifier: MIT
// Installed-package consumer: hdm::pl011_tlm through hdm::systemc and a
// plain hdm_pl011 core through hdm::core, in one SystemC program. Both must
// read the UARTFR reset value 0x90 (TXFE | RXFE); the TLM read goes
// through b_transport after a few microseconds of simulation.
#include "hdm/pl011.h"
#include "hdm/pl011_regs.h"
#include "hdm/systemc/pl011_tlm.h"

#include <tlm_utils/simple_initiator_socket.h>

#include <cstdio>
#include <cstring>

using namespace sc_core;

namespace
{

struct reader : sc_module {
    tlm_utils::simple_initiator_socket<reader> socket;
    uint32_t fr = 0;
    bool ok = false;

    SC_HAS_PROCESS(reader);
    explicit reader(sc_module_name n) : sc_module(n), socket("socket")
    {
        SC_THREAD(run);
    }
    void run()
    {
        wait(2, SC_US);
        tlm::tlm_generic_payload p;
        p.set_command(tlm::TLM_READ_COMMAND);
        p.set_address(HDM_PL011_UARTFR_OFFSET);
        p.set_data_ptr(reinterpret_cast<unsigned char *>(&fr));
        p.set_data_length(4);
        p.set_streaming_width(4);
        p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_time delay = SC_ZERO_TIME;
        socket->b_transport(p, delay);
        ok = p.is_response_ok();
        wait(delay);
    }
};

} // namespace

int sc_main(int, char **)
{
    hdm_pl011_config_t cfg;
    hdm_pl011_config_default(&cfg);
    hdm_host_t host;
    std::memset(&host, 0, sizeof(host));
    static hdm_pl011_t core;
    uint32_t core_fr = 0;
    if (hdm_pl011_init(&core, &cfg, &host) != HDM_OK ||
        hdm_pl011_read(&core, 0, HDM_PL011_UARTFR_OFFSET, 4, &core_fr, 0) !=
            HDM_OK) {
        std::fprintf(stderr, "hdm consumer: core access failed\n");
        return 1;
    }

    hdm::pl011_tlm uart("uart");
    reader r("reader");
    r.socket.bind(uart.socket);
    sc_start(5, SC_US);

    std::printf("hdm consumer (SystemC): at %s UARTFR 0x%x via b_transport "
                "(%s), core 0x%x\n",
                sc_time_stamp().to_string().c_str(), (unsigned)r.fr,
                r.ok ? "OK" : "error", (unsigned)core_fr);
    if (!r.ok || r.fr != 0x90 || core_fr != 0x90 ||
        uart.stats().accesses != 1) {
        std::fprintf(stderr, "hdm consumer: FAIL (expected UARTFR 0x90 "
                             "from both, one access)\n");
        return 1;
    }
    std::printf("hdm consumer: ok\n");
    return 0;
}
